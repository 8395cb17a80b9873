"""The facts a rule condition may use, declared once (in the spirit of Datasette's hookspecs).

Every evaluation subject (process, usage, contract, reference component, organisation) has a
fixed set of scalar fields. A rule's CEL condition sees the subject under its own name
(``process.confidentiality``), the organisation as ``org`` and its parameters as ``params``.
The loader refuses any other name, so a typo fails when the rule set is loaded, not later.

Unknown facts are never null: a tri-state fact is the string ``"yes"``, ``"no"`` or
``"unknown"``; a number that may be unknown has a ``*_known`` companion. This keeps every
condition total (it cannot fail halfway) and lets rules treat unknown as risk explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIELDS", "SUBJECTS", "Field", "fields_of"]


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # int | float | bool | string
    doc: str


def _f(name: str, type_: str, doc: str) -> Field:
    return Field(name, type_, doc)


ORGANISATION_FIELDS: tuple[Field, ...] = (
    _f("code", "string", "The organisation's code."),
    _f("name", "string", "The organisation's name."),
    _f(
        "kind",
        "string",
        "municipality, province, water_authority, central_government, agency, joint_arrangement, other.",
    ),
    _f("critical_processes", "int", "Number of critical processes."),
    _f("top_group", "string", "Provider group with the highest reliance (empty if none)."),
    _f("top_reliance", "float", "Share (0-1) of critical processes whose closure contains the top group."),
    _f("spend_hhi", "float", "HHI (0-10,000) of contract spend over provider groups; 0 without spend."),
)

PROCESS_FIELDS: tuple[Field, ...] = (
    _f("key", "string", "Identity of the process."),
    _f("name", "string", "Name of the process."),
    _f("critical", "bool", "Marked critical (ADR 0008)."),
    _f("availability", "int", "BIV availability score 1-3."),
    _f("integrity", "int", "BIV integrity score 1-3."),
    _f("confidentiality", "int", "BIV confidentiality score 1-3."),
    _f("personal_data", "string", "none, personal, special (special categories) or bsn."),
    _f("mtd_hours", "float", "Maximum tolerable downtime in hours (see mtd_known)."),
    _f("mtd_known", "bool", "Whether the tolerable downtime is recorded."),
    _f("exposure_control", "string", "none, unknown or exposed: control by a non-trusted jurisdiction."),
    _f(
        "exposure_location",
        "string",
        "none, unknown or exposed: data at rest or processing outside the trusted set.",
    ),
    _f("exposure_access", "string", "none, unknown or exposed: support or admin access from outside it."),
    _f("exposed_countries", "string", "Non-trusted countries of the exposures, comma separated."),
    _f(
        "provider_groups",
        "int",
        "Provider groups (ultimate parents) in the closure (critical processes; else 0).",
    ),
    _f("group_name", "string", "Name of the provider group when there is exactly one, else empty."),
    _f("exit_plan", "bool", "An exit plan exists for a usage the process requires."),
    _f("spofs", "int", "Nodes whose failure alone stops the process (critical processes; else 0)."),
    _f("spof_names", "string", "Names of those nodes, comma separated."),
    _f(
        "recovery", "string", "ok, gap (a dependency recovers slower than the tolerable downtime) or unknown."
    ),
    _f(
        "recovery_hours",
        "float",
        "Slowest known recovery time among the single points of failure (0 if none).",
    ),
    _f(
        "unknown_facts",
        "int",
        "Number of verdicts (exposure dimensions, recovery) that rest on an unknown fact.",
    ),
    _f("unknown_what", "string", "Which verdicts rest on an unknown fact, comma separated."),
)

USAGE_FIELDS: tuple[Field, ...] = (
    _f("key", "string", "Identity of the usage."),
    _f("name", "string", "Name of the usage."),
    _f("product", "string", "Name of the product used (empty if unknown)."),
    _f("critical", "bool", "Required by a critical process of the organisation."),
    _f(
        "substitutability",
        "string",
        "easily_substitutable, medium_complexity, highly_complex, not_substitutable.",
    ),
    _f("overridden", "bool", "The substitutability class was overridden with a justification."),
    _f("open_export", "string", "yes, no or unknown: data export in an open standard."),
    _f("exit_plan", "bool", "An exit plan exists for this usage."),
    _f("alternatives", "int", "Alternatives in the catalogue (-1: product unknown)."),
)

CONTRACT_FIELDS: tuple[Field, ...] = (
    _f("key", "string", "Identity of the contract."),
    _f("name", "string", "Reference or title of the contract."),
    _f("counterparty", "string", "Name of the counterparty."),
    _f("value", "float", "Annual value in EUR (see value_known)."),
    _f("value_known", "bool", "Whether the annual value is recorded."),
    _f("months_to_end", "float", "Months from today to the end date (see end_known)."),
    _f("end_known", "bool", "Whether the contract has an end date (false: indefinite or unknown)."),
    _f("exit_assistance", "string", "yes, no or unknown."),
    _f("data_return_open_format", "string", "yes, no or unknown."),
    _f("price_cap", "string", "yes, no or unknown: a cap on price changes or agreed indexation."),
    _f("unilateral_change", "string", "yes, no or unknown: the supplier may change terms unilaterally."),
    _f(
        "renewal_decision",
        "string",
        "undecided, renew, tender, joint_tender, exit; unknown where the register has none.",
    ),
)

REFCOMP_FIELDS: tuple[Field, ...] = (
    _f("key", "string", "Name of the GEMMA reference component."),
    _f("name", "string", "Name of the GEMMA reference component."),
    _f("hhi", "float", "HHI (0-10,000) of usages over provider groups for this component."),
    _f("band", "string", "unconcentrated (< 1,500), moderate (1,500-2,500) or high (> 2,500)."),
    _f("usages", "int", "Number of usages realising the component."),
    _f("top_group", "string", "Provider group with the largest share."),
    _f("top_share", "float", "Its share (0-1)."),
)

#: subject kind -> its fields; ``org`` is available in every subject.
SUBJECTS: dict[str, tuple[Field, ...]] = {
    "organisation": ORGANISATION_FIELDS,
    "process": PROCESS_FIELDS,
    "usage": USAGE_FIELDS,
    "contract": CONTRACT_FIELDS,
    "refcomp": REFCOMP_FIELDS,
}
FIELDS: dict[str, dict[str, Field]] = {k: {f.name: f for f in v} for k, v in SUBJECTS.items()}


def fields_of(subject: str) -> dict[str, Field]:
    return FIELDS[subject]
