// Upload progress for the import form: htmx reports the bytes sent; once the file is sent,
// the bar turns indeterminate until the server answers with the import job, whose own bars
// (rows validated, rows written) then follow the import itself (templates/_job.html).
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-progress");
  if (!bar || !event.detail.lengthComputable) { return; }
  var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
  bar.hidden = false;
  if (percent >= 100) {
    bar.removeAttribute("value");
    document.getElementById("upload-status").textContent = bar.dataset.processing;
  } else {
    bar.value = percent;
    document.getElementById("upload-status").textContent = percent + "%";
  }
});
document.addEventListener("htmx:afterRequest", function () {
  var bar = document.getElementById("upload-progress");
  if (bar) { bar.hidden = true; bar.value = 0; }
  var status = document.getElementById("upload-status");
  if (status) { status.textContent = ""; }
});
