"""Forms of the framework pages: accept a finding; tighten thresholds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Membership, Role, User
from regie.register.models import Organisation

from .rules import Rule


class AcceptForm(forms.Form):
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.CharField(label=_("Accountable owner"), max_length=120)
    approver = forms.ModelChoiceField(label=_("Approver"), queryset=User.objects.none())
    expires_on = forms.DateField(label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        admins = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).values("user")
        field = self.fields["approver"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=admins).order_by("username")
        self.fields["expires_on"].initial = dt.date.today() + dt.timedelta(days=365)


class ThresholdForm(forms.Form):
    """One number field per parameter of the rule set's rules: ``<rule>__<param>``."""

    def __init__(self, *args: Any, rules: list[tuple[Rule, dict[str, float]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: list[tuple[str, str, str]] = []
        for rule, effective in rules:
            for name, param in rule.parameters.items():
                key = f"{rule.id}__{name}"
                self.fields[key] = forms.FloatField(
                    label=f"{rule.id} · {name}",
                    required=False,
                    initial=effective.get(name, param.default),
                    help_text=f"{param.doc} ({_('default')} {param.default:g}; "
                    + (str(_("only lower")) if param.tighten == "lower" else str(_("only higher")))
                    + ")",
                )
                self.names.append((key, rule.id, name))

    def parameters(self, defaults: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        """The values that differ from ``defaults`` (rule -> param -> default)."""
        out: dict[str, dict[str, float]] = {}
        for key, rule_id, name in self.names:
            value = self.cleaned_data.get(key)
            if value is not None and value != defaults[rule_id][name]:
                out.setdefault(rule_id, {})[name] = value
        return out


class ScorecardForm(forms.Form):
    """Per question: the answer, its evidence and its source.

    Fields: ``<qid>``, ``<qid>__evidence``, ``<qid>__source``.
    """

    def __init__(self, *args: Any, lang: str, answers: dict[str, Any], **kwargs: Any) -> None:
        from .sovereignty import QUESTIONS

        super().__init__(*args, **kwargs)
        self.questions = QUESTIONS
        for q in QUESTIONS:
            current = answers.get(q.id)
            self.fields[q.id] = forms.ChoiceField(
                label=f"{q.id} {q.en if lang == 'en' else q.nl}",
                required=False,
                choices=[
                    ("", "—"),
                    *((o.key, f"{o.en if lang == 'en' else o.nl} (SEAL {o.level})") for o in q.options),
                ],
                initial=current.option if current else "",
            )
            self.fields[f"{q.id}__evidence"] = forms.CharField(
                label=_("Evidence"), required=False, initial=current.evidence if current else ""
            )
            self.fields[f"{q.id}__source"] = forms.CharField(
                label=_("Source (URL or document)"), required=False
            )
