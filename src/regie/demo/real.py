"""Names of real catalogue records that the demo refers to, as spelt in the reference bundle.

The demo never creates these: :func:`regie.reference.bundle.load_bundle` does, with their
sources (src/regie/reference/data/). A test checks that every name here exists after loading.
"""

from __future__ import annotations

# Legal entities
MICROSOFT = "Microsoft Corporation"
MICROSOFT_EU = "Microsoft Ireland Operations Limited"
AWS_EU = "Amazon Web Services EMEA SARL"
GOOGLE_EU = "Google Cloud EMEA Limited"
SAP = "SAP SE"
SALESFORCE = "Salesforce, Inc."
ORACLE_NL = "Oracle Nederland B.V."
EXACT = "Exact"
KKR = "KKR & Co. Inc."
VISMA_ROXIT = "Visma Roxit"
CENTRIC = "Centric"
PINKROCCADE = "PinkRoccade Local Government"
LOGIUS = "Logius"
ZENDIS = "Zentrum für Digitale Souveränität der Öffentlichen Verwaltung (ZenDiS) GmbH"
LEAFCLOUD_ENTITY = "Leafcloud"
CYSO_ENTITY = "Cyso"

# Products
M365 = "Microsoft 365"
ENTRA = "Microsoft Entra ID"
GOOGLE_WORKSPACE = "Google Workspace"
SALESFORCE_PLATFORM = "Salesforce Platform"
SAP_S4 = "SAP S/4HANA Cloud"
EXACT_ONLINE = "Exact Online"
KEY2BURGERZAKEN = "Key2Burgerzaken"
IBURGERZAKEN = "iBurgerzaken"
SQUIT_XO = "Squit XO"
OPENDESK = "openDesk"
NEXTCLOUD = "Nextcloud"
COLLABORA = "Collabora Online"
OPENPROJECT = "OpenProject"
XWIKI = "XWiki"
ELEMENT = "Element"
JITSI = "Jitsi"

# Services
AZURE = "Microsoft Azure"
AWS = "Amazon Web Services"
GOOGLE_CLOUD = "Google Cloud"
DIGID = "DigiD"
MIJNOVERHEID = "MijnOverheid"
LEAFCLOUD = "Leafcloud"
CYSO = "Cyso Cloud"
HETZNER = "Hetzner Cloud"
STACKIT = "STACKIT Cloud"

ENTITIES = (
    MICROSOFT,
    MICROSOFT_EU,
    AWS_EU,
    GOOGLE_EU,
    SAP,
    SALESFORCE,
    ORACLE_NL,
    EXACT,
    KKR,
    VISMA_ROXIT,
    CENTRIC,
    PINKROCCADE,
    LOGIUS,
    ZENDIS,
    LEAFCLOUD_ENTITY,
    CYSO_ENTITY,
)
PRODUCTS = (
    M365,
    ENTRA,
    GOOGLE_WORKSPACE,
    SALESFORCE_PLATFORM,
    SAP_S4,
    EXACT_ONLINE,
    KEY2BURGERZAKEN,
    IBURGERZAKEN,
    SQUIT_XO,
    OPENDESK,
    NEXTCLOUD,
    COLLABORA,
    OPENPROJECT,
    XWIKI,
    ELEMENT,
    JITSI,
)
SERVICES = (AZURE, AWS, GOOGLE_CLOUD, DIGID, MIJNOVERHEID, LEAFCLOUD, CYSO, HETZNER, STACKIT)
