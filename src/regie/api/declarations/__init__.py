"""Resource declarations for the register, one module per sub-domain (as in regie.register.models).

Importing this package declares every register resource; the order is the order in the
OpenAPI document.
"""

from . import catalogue, contracts, landscape, organisations, reference

__all__ = ["catalogue", "contracts", "landscape", "organisations", "reference"]
