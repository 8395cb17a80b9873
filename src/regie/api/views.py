"""The page where users create, see and revoke their personal API tokens."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from regie.register.models import Organisation
from regie.register.selectors import organisations_of

from .models import TokenScope
from .tokens import token_create, token_revoke, tokens_of

if TYPE_CHECKING:
    from regie.accounts.models import User

LIFETIMES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All my organisations"),
        to_field_name="code",
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    lifetime = forms.TypedChoiceField(label=_("Valid for"), choices=LIFETIMES, coerce=int, initial=90)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organisation"].queryset = organisations_of(user=user)  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None, user=user)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                organisation=form.cleaned_data["organisation"],
                expires_at=timezone.now() + datetime.timedelta(days=form.cleaned_data["lifetime"]),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm(user=user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "secret": secret, "tokens": tokens_of(user=user), "now": timezone.now()},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = tokens_of(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    token_revoke(user=user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("api-tokens:tokens")
