"""Forms built from the register-type declarations, scoped to what the user may choose."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import modelform_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Role
from regie.register.models import Country, Organisation
from regie.register.tenancy import organisation_lookup

from .registry import Fact, RegisterType


class AccessibleFormMixin:
    """Links help texts and error messages to their field with aria-describedby."""

    fields: dict[str, forms.Field]

    def describe_fields(self) -> None:
        errors: dict[str, Any] = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"id_{name}_helptext")
            if name in errors:
                ids.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


def _constraint_message(name: str) -> str:
    if name.endswith("_format"):
        return str(_("This value has the wrong format."))
    if name.endswith(("_1_3", "_1_5", "_0_100")):
        return str(_("This value is outside the allowed range."))
    if name.endswith("_not_negative"):
        return str(_("This value cannot be negative."))
    if "after" in name:
        return str(_("This date cannot be before the date it follows."))
    return ""


def move_constraint_errors(form: forms.BaseForm, model: type[models.Model]) -> None:
    """Put a violated check constraint's error on the field it is about, in plain words."""
    errors = form.errors.get("__all__")
    if not errors:
        return
    by_message = {
        str(c.get_violation_error_message()): c
        for c in model._meta.constraints
        if isinstance(c, models.CheckConstraint)
    }
    remaining: list[Any] = []
    moved: list[tuple[str, str]] = []
    for message in errors:
        constraint = by_message.get(str(message))
        candidates = [f for f in form.fields if constraint and f in constraint.name and "__" not in f]
        if constraint is None or not candidates:
            remaining.append(message)
            continue
        moved.append((max(candidates, key=len), _constraint_message(constraint.name) or str(message)))
    if remaining:
        form.errors["__all__"] = form.error_class(remaining, error_class="nonfield")
    else:
        del form.errors["__all__"]
    for field, message in moved:
        form.add_error(field, message)


class RegisterForm(AccessibleFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A register object's form; the fact fields get a source, a checked date and 'verified'."""

    rtype: RegisterType

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        editing = not self.instance._state.adding
        pk_name = self.instance._meta.pk.name if self.instance._meta.pk else "id"
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                self._scope_choices(field)
                if field.queryset is not None and field.queryset.model is Country:
                    field.queryset = field.queryset.order_by(Country.name_field())  # sorted as shown
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if editing and name == pk_name:
                field.disabled = True
        for fact in self.rtype.facts:
            self._add_source_fields(fact)
        self.describe_fields()

    def _scope_choices(self, field: forms.ModelChoiceField | forms.ModelMultipleChoiceField) -> None:  # type: ignore[type-arg]
        queryset = field.queryset
        if queryset is None:
            return
        lookup = organisation_lookup(queryset.model)
        if lookup is not None:
            org_id = self.organisation.pk if self.organisation is not None else -1
            field.queryset = queryset.filter(**{lookup: org_id})

    def _add_source_fields(self, fact: Fact) -> None:
        current = None if self.instance._state.adding else getattr(self.instance, fact.provenance, None)
        current_text = (
            _("Current source: %(source)s (checked %(date)s).")
            % {"source": current.source, "date": current.checked_on or "?"}
            if current is not None
            else _("No source recorded yet.")
        )
        prefix = fact.provenance
        self.fields[f"{prefix}__source"] = forms.CharField(
            label=_("Source (URL or document)"),
            max_length=500,
            required=False,
            help_text=_("Required when you change this fact. %(current)s") % {"current": current_text},
        )
        self.fields[f"{prefix}__checked_on"] = forms.DateField(
            label=_("Checked on"),
            required=False,
            initial=timezone.localdate,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        self.fields[f"{prefix}__verified"] = forms.BooleanField(
            label=_("Verified: read in the source itself"),
            required=False,
            initial=True,
        )

    def fact_groups(self) -> list[tuple[Fact, list[forms.BoundField]]]:
        """The source fields of each fact, for rendering them together."""
        groups = []
        for fact in self.rtype.facts:
            names = [f"{fact.provenance}__{part}" for part in ("source", "checked_on", "verified")]
            groups.append((fact, [self[n] for n in names]))
        return groups

    def layout(self) -> list[tuple[forms.BoundField | None, Fact | None, list[forms.BoundField], str]]:
        """Fields in order, each fact's source fields right after the last of its value fields.

        Items are (field, None, [], "") or (None, fact, source fields, the labels of the fact).
        """
        groups = dict(self.fact_groups())
        last_of = {fact.fields[-1]: fact for fact in self.rtype.facts}
        items: list[tuple[forms.BoundField | None, Fact | None, list[forms.BoundField], str]] = []
        for bound in self.plain_fields():
            items.append((bound, None, [], ""))
            fact = last_of.get(bound.name)
            if fact is not None:
                labels = ", ".join(str(self[n].label).lower() for n in fact.fields if n in self.fields)
                items.append((None, fact, groups[fact], labels))
        return items

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if "__" not in name]

    def full_clean(self) -> None:
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            move_constraint_errors(self, self.rtype.model)
        self.describe_fields()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        today = timezone.localdate()
        for fact in self.rtype.facts:
            source = (cleaned.get(f"{fact.provenance}__source") or "").strip()
            checked: datetime.date | None = cleaned.get(f"{fact.provenance}__checked_on")
            changed = any(name in self.changed_data for name in fact.fields)
            if changed and not source:
                self.add_error(
                    f"{fact.provenance}__source",
                    _("This fact changed: give the source you read it in."),
                )
            if checked is not None and checked > today:
                self.add_error(f"{fact.provenance}__checked_on", _("A fact cannot be checked in the future."))
        return cleaned

    def register_data(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Field values and many-to-many values for the register services."""
        data: dict[str, Any] = {}
        m2m: dict[str, Any] = {}
        for name in self.rtype.fields:
            if name not in self.cleaned_data or self.fields[name].disabled:
                continue
            field = self.instance._meta.get_field(name)
            if field.many_to_many:
                m2m[name] = self.cleaned_data[name]
            else:
                data[name] = self.cleaned_data[name]
        return data, m2m

    def source_requests(self) -> list[tuple[Fact, str, datetime.date | None, bool]]:
        """The facts for which the user gave a source: (fact, source, checked on, verified)."""
        out = []
        for fact in self.rtype.facts:
            source = (self.cleaned_data.get(f"{fact.provenance}__source") or "").strip()
            if source:
                out.append(
                    (
                        fact,
                        source,
                        self.cleaned_data.get(f"{fact.provenance}__checked_on"),
                        bool(self.cleaned_data.get(f"{fact.provenance}__verified")),
                    )
                )
        return out


def form_class_for(rtype: RegisterType) -> type[RegisterForm]:
    form_class: type[RegisterForm] = modelform_factory(  # type: ignore[assignment]
        rtype.model, form=RegisterForm, fields=list(rtype.fields)
    )
    form_class.rtype = rtype
    return form_class


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, or on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
    if isinstance(form, AccessibleFormMixin):
        form.describe_fields()


class OrganisationForm(AccessibleFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = (
            "name",
            "kind",
            "cbs_code",
            "oin",
            "kvk",
            "province",
            "inhabitants",
            "staff",
            "trusted_countries",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trusted = self.fields["trusted_countries"]
        assert isinstance(trusted, forms.ModelMultipleChoiceField)
        trusted.queryset = Country.objects.order_by(Country.name_field())  # sorted as shown
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            move_constraint_errors(self, Organisation)
        self.describe_fields()


class MembershipAddForm(AccessibleFormMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
