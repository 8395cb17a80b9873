"""Forms of the procurement pages: a tender, a bid, the weights, a decision.

Forms only parse input; the services check it and name the field on refusal (the views put
such a refusal on the field).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.policy.sovereignty import OBJECTIVES, QUESTIONS
from regie.register.models import ClauseKind, GemmaElement, LegalEntity, Process, Product, Service, TriState

from .models import DEFAULT_WEIGHTS, MIN_SEAL_FIELDS, Bid, Tender, TenderStatus
from .scoring import CRITERIA, MAX_WEIGHT

CRITERION_LABELS: dict[str, Any] = {
    "price": _("price"),
    "sovereignty": _("sovereignty (EUCSF score)"),
    "exposure": _("jurisdiction exposure"),
    "concentration": _("concentration (HHI)"),
    "continuity": _("continuity (blast radius, SPOFs)"),
    "lockin": _("lock-in"),
}
#: Short column headings of the assessment matrix.
CRITERION_SHORT: dict[str, Any] = {
    "price": _("price"),
    "sovereignty": _("sovereignty"),
    "exposure": _("exposure"),
    "concentration": _("concentration"),
    "continuity": _("continuity"),
    "lockin": _("lock-in"),
}
SEAL_CHOICES = [("", "—"), *((str(n), f"SEAL {n}") for n in range(5))]
#: The tender's own fields that the form edits as they are (the rest need the services' checks).
TENDER_FIELDS = (
    "reference",
    "title",
    "description",
    "status",
    "contract_months",
    "published_on",
    "closes_on",
)


def _lang_nl(lang: str) -> bool:
    return not lang.startswith("en")


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, initial_weights: dict[str, float] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        start = initial_weights or DEFAULT_WEIGHTS
        for c in CRITERIA:
            self.fields[c] = forms.FloatField(
                label=CRITERION_LABELS[c], min_value=0, max_value=MAX_WEIGHT, initial=f"{start.get(c, 0.0):g}"
            )

    def weights(self) -> dict[str, float]:
        return {c: float(self.cleaned_data[c]) for c in CRITERIA}


class TenderForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=80)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(label=_("Status"), choices=TenderStatus.choices)
    processes = forms.ModelMultipleChoiceField(
        label=_("Processes in scope"), queryset=Process.objects.none(), required=False
    )
    reference_components = forms.ModelMultipleChoiceField(
        label=_("Reference components in scope"),
        queryset=GemmaElement.objects.filter(kind="referentiecomponent").order_by("name"),
        required=False,
    )
    required_clauses = forms.MultipleChoiceField(
        label=_("Required clauses"),
        choices=ClauseKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contract_months = forms.IntegerField(
        label=_("Contract term (months)"), min_value=1, max_value=600, initial=48
    )
    published_on = forms.DateField(
        label=_("Published on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, organisation_id: int, lang: str, tender: Tender | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["processes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Process.objects.filter(organisation_id=organisation_id).order_by("name")
        for code, (nl, en) in OBJECTIVES.items():
            self.fields[f"min_{code}"] = forms.TypedChoiceField(
                label=_("Minimum SEAL: %(objective)s")
                % {"objective": f"{code} {nl if _lang_nl(lang) else en}"},
                choices=SEAL_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
        if tender is not None:
            for name in TENDER_FIELDS:
                self.fields[name].initial = getattr(tender, name)
            self.fields["processes"].initial = list(tender.processes.values_list("pk", flat=True))
            self.fields["reference_components"].initial = list(
                tender.reference_components.values_list("pk", flat=True)
            )
            self.fields["required_clauses"].initial = list(tender.required_clauses)
            for code, f in MIN_SEAL_FIELDS.items():
                value = getattr(tender, f)
                self.fields[f"min_{code}"].initial = "" if value is None else str(value)

    def min_seal(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(f"min_{code}") for code in OBJECTIVES}

    def service_arguments(self) -> dict[str, Any]:
        """What tender_create and tender_update take from the form."""
        cd = self.cleaned_data
        return {
            "data": self.data_fields(),
            "processes": cd["processes"],
            "reference_components": cd["reference_components"],
            "min_seal": self.min_seal(),
            "required_clauses": cd["required_clauses"],
        }

    def data_fields(self) -> dict[str, Any]:
        return {n: self.cleaned_data[n] for n in TENDER_FIELDS}


class BidForm(forms.Form):
    """The bid (``bid`` to edit one) with one answer field per scorecard question (``q_<id>``)
    and per clause (``c_<kind>``)."""

    bidder = forms.ModelChoiceField(
        label=_("Bidder (legal entity)"), queryset=LegalEntity.objects.order_by("name")
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("name"), required=False
    )
    services = forms.ModelMultipleChoiceField(
        label=_("Services it would run on (hosting chain)"),
        queryset=Service.objects.select_related("provider").order_by("name"),
        required=False,
    )
    annual_price = forms.DecimalField(
        label=_("Annual price (EUR)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    total_value = forms.DecimalField(
        label=_("Total contract value (EUR)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, lang: str, bid: Bid | None = None, **kwargs: Any):
        if bid is not None:
            kwargs["initial"] = {
                "bidder": bid.bidder_id,
                "product": bid.product_id,
                "services": list(bid.services.values_list("pk", flat=True)),
                "annual_price": bid.annual_price,
                "total_value": bid.total_value,
                "notes": bid.notes,
            }
        super().__init__(*args, **kwargs)
        answers = dict(bid.answers) if bid else {}
        clauses = dict(bid.clauses) if bid else {}
        nl = _lang_nl(lang)
        for q in QUESTIONS:
            self.fields[f"q_{q.id}"] = forms.ChoiceField(
                label=f"{q.id} {q.nl if nl else q.en}",
                required=False,
                choices=[
                    ("", "—"),
                    *((o.key, f"{o.nl if nl else o.en} (SEAL {o.level})") for o in q.options),
                ],
                initial=answers.get(q.id, ""),
            )
        for kind, label in ClauseKind.choices:
            self.fields[f"c_{kind}"] = forms.ChoiceField(
                label=label, choices=TriState.choices, initial=clauses.get(kind, TriState.UNKNOWN)
            )

    def data_fields(self) -> dict[str, Any]:
        cd = self.cleaned_data
        return {
            "bidder": cd["bidder"],
            "product": cd["product"],
            "services": list(cd["services"]),
            "annual_price": cd["annual_price"],
            "total_value": cd["total_value"],
            "notes": cd["notes"],
            "answers": {q.id: cd[f"q_{q.id}"] for q in QUESTIONS if cd.get(f"q_{q.id}")},
            "clauses": {kind: cd[f"c_{kind}"] for kind in ClauseKind.values},
        }


class DecisionForm(forms.Form):
    bid = forms.TypedChoiceField(label=_("Chosen bid"), coerce=int, choices=())
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, bids: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bid"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = bids
        self.fields["decided_on"].initial = dt.date.today()
