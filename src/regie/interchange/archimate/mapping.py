"""How ArchiMate elements and relationships map to the register, and back.

docs/interchange.md shows these tables; a test checks that the document and this module agree.
"""

from __future__ import annotations

# ArchiMate element type → the register record it becomes on import.
ELEMENT_IMPORT: dict[str, str] = {
    "BusinessProcess": "process",
    "BusinessFunction": "process",
    "ApplicationComponent": "usage",
    "SystemSoftware": "usage",
    "TechnologyService": "service",
    "Node": "service",
    "Device": "service",
    "DataObject": "data_set",
}
# Property names (Dutch as GEMMA writes them, or English) → process field.
BIV_PROPERTIES: dict[str, tuple[str, ...]] = {
    "availability": ("Beschikbaarheid", "B", "Availability"),
    "integrity": ("Integriteit", "I", "Integrity"),
    "confidentiality": ("Vertrouwelijkheid", "V", "Confidentiality"),
}
BIV_WORDS = {"laag": 1, "low": 1, "midden": 2, "middel": 2, "medium": 2, "hoog": 3, "high": 3}
PRODUCT_PROPERTIES = ("Product", "Pakket")
SUPPLIER_PROPERTIES = ("Leverancier", "Supplier", "Aanbieder", "Provider")
STATUS_PROPERTIES = ("Levenscyclus", "Status", "Lifecycle status")
# Relationship types that mean "the target depends on the source" (source serves target).
SERVING = {"Serving", "Realization", "Assignment"}
# Relationship types that are an integration between applications, from source to target.
FLOW = {"Flow", "Triggering"}
ACCESS = {"Access"}

# Register record → ArchiMate element type on export.
ELEMENT_EXPORT: dict[str, str] = {
    "process": "BusinessProcess",
    "usage (application)": "ApplicationComponent",
    "usage (system software product)": "SystemSoftware",
    "service": "TechnologyService",
    "legal entity (provider, counterparty)": "BusinessActor",
    "data set": "DataObject",
    "contract": "Contract",
}
# Register relation → (ArchiMate relationship, source, target) on export.
RELATIONSHIP_EXPORT: dict[str, tuple[str, str, str]] = {
    "process requires application": ("Serving", "application", "process"),
    "application runs on service": ("Serving", "service", "application"),
    "integration between applications": ("Flow", "application", "application"),
    "data set held in application": ("Access", "application", "data set"),
    "provider of a service": ("Association", "legal entity", "service"),
    "contract covers application": ("Association", "contract", "application"),
    "contract with counterparty": ("Association", "contract", "legal entity"),
}
