"""The invented part of the demo catalogue: suppliers, products and services that do not exist.

Every legal entity here carries "(fictief)" in its name and every fact about it has the
provenance "Regie demo data (fictief)". Real companies are never created here: the demo refers
to them by name from the reference bundle (see :mod:`regie.demo.real`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FICTIONAL_SOURCE = "Regie demo data (fictief)"
FICTIONAL_MARK = "(fictief)"


@dataclass(frozen=True)
class EntitySpec:
    name: str
    country: str
    parent: str | None = None
    parent_state: str = "none"
    basis: str = ""
    share: Decimal | None = None
    public_body: bool = False
    description: str = ""


@dataclass(frozen=True)
class ProductSpec:
    name: str
    supplier: str
    components: tuple[str, ...]
    open_source: str = "no"
    licence: str = ""
    export_formats: str = ""
    export_open_standard: str = "unknown"
    export_bulk_api: str = "unknown"
    kind: str = "application"
    standards: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    provider: str
    kind: str
    product: str | None = None
    rest: tuple[str, ...] = ("NL",)
    processing: tuple[str, ...] = ("NL",)
    access: tuple[str, ...] = ("NL",)
    runs_on: tuple[str, ...] = ()
    customer_held_keys: str = "unknown"
    certifications: str = ""
    recovery_hours: Decimal | None = None
    description: str = ""


def _f(name: str) -> str:
    return f"{name} {FICTIONAL_MARK}"


ZAAKWIJS = _f("Zaakwijs B.V.")
BURGERLINK = _f("Burgerlink B.V.")
SOCIAAL_PLEIN = _f("Sociaal Plein Software B.V.")
NORDIC_PUBLIC = _f("Nordic Public Software AB")
HARBOURVIEW = _f("Harbourview Equity Partners LLP")
BELASTINGWERK = _f("Belastingwerk B.V.")
GEODELTA = _f("Geodelta B.V.")
ARCHIEFWAARDE = _f("Archiefwaarde B.V.")
RAADZAAL = _f("Raadzaal Digitaal B.V.")
LOONLIJN = _f("Loonlijn B.V.")
KLANTKOMPAS = _f("Klantkompas B.V.")
VERGUNNINGWIJZER = _f("Vergunningwijzer B.V.")
FORMULIERFABRIEK = _f("Formulierfabriek B.V.")
POLDERWOLK = _f("Polderwolk B.V.")
VELDWERK = _f("Veldwerk Apps B.V.")
FINANCIO = _f("Financio B.V.")
WEBGEMEENTE = _f("Webgemeente B.V.")
DATASTROOM = _f("Datastroom B.V.")
SCHERMWERK = _f("Schermwerk B.V.")
GEMEENTEWERK = _f("Gemeentewerk Software B.V.")
DIENSTBUS = _f("Dienstbus Integratie B.V.")
SSC = _f("GR ICT Midden")
VAKWERK = _f("Vakwerk Software B.V.")
REGIOTAAK = _f("Regiotaak B.V.")

ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec(ZAAKWIJS, "NL", description="Nederlandse leverancier van een zaaksysteem als SaaS."),
    EntitySpec(BURGERLINK, "NL", parent_state="unknown", description="Leverancier van burgerzakensoftware."),
    EntitySpec(HARBOURVIEW, "GB", description="Investeringsfonds (Londen)."),
    EntitySpec(
        NORDIC_PUBLIC,
        "SE",
        parent=HARBOURVIEW,
        parent_state="known",
        basis="ownership",
        share=Decimal("72.00"),
        description="Scandinavische groep van overheidssoftware.",
    ),
    EntitySpec(
        SOCIAAL_PLEIN,
        "NL",
        parent=NORDIC_PUBLIC,
        parent_state="known",
        basis="ownership",
        share=Decimal("100.00"),
        description="Software voor het sociaal domein.",
    ),
    EntitySpec(BELASTINGWERK, "NL", description="Software voor belastingen en WOZ."),
    EntitySpec(GEODELTA, "NL", description="Geo-informatie en basisregistraties."),
    EntitySpec(ARCHIEFWAARDE, "NL", description="Documentbeheer en e-depot."),
    EntitySpec(RAADZAAL, "NL", description="Raadsinformatie en vergaderapps."),
    EntitySpec(LOONLIJN, "NL", description="HR en salarisverwerking als SaaS."),
    EntitySpec(KLANTKOMPAS, "NL", description="Klantcontact en telefonie."),
    EntitySpec(VERGUNNINGWIJZER, "NL", description="Vergunningverlening, toezicht en handhaving."),
    EntitySpec(FORMULIERFABRIEK, "NL", description="E-formulieren en online betalen."),
    EntitySpec(POLDERWOLK, "NL", description="Nederlands datacenter en beheerde hosting."),
    EntitySpec(VELDWERK, "NL", description="Mobiele apps voor de openbare ruimte."),
    EntitySpec(FINANCIO, "NL", parent_state="unknown", description="Financiële software voor overheden."),
    EntitySpec(WEBGEMEENTE, "NL", description="Websites en persoonlijke internetpagina's."),
    EntitySpec(DATASTROOM, "NL", description="Integratie, gegevensmagazijn en notificaties."),
    EntitySpec(SCHERMWERK, "NL", description="Beveiligingsdiensten en -software."),
    EntitySpec(GEMEENTEWERK, "NL", description="Kleine vakapplicaties voor gemeenten."),
    EntitySpec(DIENSTBUS, "NL", description="Integratie- en koppelingsdiensten."),
    EntitySpec(VAKWERK, "NL", description="Vakapplicaties voor gemeenten."),
    EntitySpec(
        REGIOTAAK,
        "BE",
        parent_state="unknown",
        description="Belgische leverancier van vakapplicaties voor lokale besturen.",
    ),
    EntitySpec(
        SSC,
        "NL",
        public_body=True,
        description="Gemeenschappelijke regeling die ICT voor de deelnemende gemeenten levert.",
    ),
)

P = ProductSpec
ZGW = ("Zaken API-standaard", "Documenten API-standaard", "Catalogi API-standaard")

PRODUCTS: tuple[ProductSpec, ...] = (
    P(
        "Zaakwijs",
        ZAAKWIJS,
        ("Zaakregistratiecomponent", "Generiek zaakafhandelcomponent", "Zaaktypecataloguscomponent"),
        export_formats="ZGW API's, CSV, PDF/A",
        export_open_standard="yes",
        export_bulk_api="yes",
        standards=(*ZGW, "StUF ZKN"),
    ),
    P(
        "Burgerlink BRP",
        BURGERLINK,
        ("Burgerzakencomponent", "GBA-administratiecomponent"),
        export_formats="StUF BG",
        export_open_standard="yes",
        export_bulk_api="no",
        standards=("StUF BG", "GBA koppelvlak", "BRP Personen bevragen API-standaard"),
    ),
    P(
        "Plein Sociaal Domein",
        SOCIAAL_PLEIN,
        ("Wmo-component", "Jeugdzorgcomponent", "Toezicht- en handhavingcomponent sociaal domein"),
        export_formats="CSV, iWmo, iJw",
        export_open_standard="yes",
        export_bulk_api="no",
        standards=("iWmo voor gemeenten", "iJw voor gemeenten", "StUF Jeugdzorg"),
    ),
    P(
        "Plein Inkomen",
        SOCIAAL_PLEIN,
        ("Inkomenscomponent", "Reïntegratie- en werkzoekendencomponent"),
        export_formats="CSV, SuwiML",
        export_open_standard="unknown",
        export_bulk_api="no",
        standards=("SuwiML berichtstandaard",),
    ),
    P(
        "Belastingwerk Heffen",
        BELASTINGWERK,
        ("Belastingencomponent", "Inningencomponent", "WOZ-beheercomponent"),
        export_formats="StUF WOZ, CSV",
        export_open_standard="yes",
        standards=("StUF WOZ", "StUF tax", "MijnOverheid WOZ-inzage koppelvlak"),
    ),
    P("Taxatiewijzer", BELASTINGWERK, ("WOZ-taxatiecomponent",), export_formats="CSV"),
    P(
        "Geodelta Kaartviewer",
        GEODELTA,
        ("Geo-gegevens analysecomponent",),
        export_formats="GeoPackage, WFS",
        export_open_standard="yes",
        export_bulk_api="yes",
        standards=("WFS NL profiel", "WMS NL profiel"),
    ),
    P(
        "Geodelta BGT",
        GEODELTA,
        ("BGT-beheercomponent", "Geo-gegevens inwincomponent"),
        export_formats="IMGeo, GML",
        export_open_standard="yes",
        standards=("IMGeo (BGT)", "StUF Geo IMGeo"),
    ),
    P(
        "Geodelta BAG",
        GEODELTA,
        ("BAG-beheercomponent",),
        export_formats="BAG Extract",
        export_open_standard="yes",
        standards=("StUF BAG", "BAG LV koppelvlak"),
    ),
    P(
        "Geodelta Openbare Ruimte",
        GEODELTA,
        ("BOR-component",),
        export_formats="IMBOR, CSV",
        export_open_standard="yes",
        standards=("IMBOR",),
    ),
    P(
        "Archiefwaarde e-Depot",
        ARCHIEFWAARDE,
        ("Archiefbeheercomponent", "Archiefregistratiecomponent"),
        export_formats="MDTO, TMLO, PDF/A",
        export_open_standard="yes",
        export_bulk_api="yes",
        standards=("MDTO XML-schema", "TMLO", "PDF/A"),
    ),
    P(
        "Archiefwaarde DMS",
        ARCHIEFWAARDE,
        ("Documentbeheercomponent", "Documentregistratiecomponent"),
        export_formats="CMIS, PDF/A",
        export_open_standard="yes",
        standards=("CMIS", "Documenten API-standaard"),
    ),
    P(
        "Raadzaal",
        RAADZAAL,
        ("Bestuur- en Raadsinformatiecomponent",),
        export_formats="Open Raadsinformatie API",
        export_open_standard="yes",
        export_bulk_api="yes",
        standards=("Open Raadsinformatie API-standaard", "Popolo"),
    ),
    P(
        "Loonlijn HR",
        LOONLIJN,
        ("Personeelsinformatiecomponent", "Medewerker-registratiecomponent"),
        export_formats="CSV, XLSX",
        export_open_standard="no",
    ),
    P(
        "Loonlijn Salaris",
        LOONLIJN,
        ("Salarisadministratie en -verwerkingcomponent",),
        export_formats="CSV",
        export_open_standard="no",
        export_bulk_api="no",
    ),
    P(
        "Klantkompas KCC",
        KLANTKOMPAS,
        ("Relatiebeheercomponent (CRM)", "Klantgeleidingcomponent"),
        export_formats="CSV, Klanten API",
        standards=("Klanten API-standaard", "Contactmomenten API-standaard"),
    ),
    P("Klantkompas Afspraken", KLANTKOMPAS, ("Afsprakenbeheercomponent",), export_formats="iCalendar, CSV"),
    P("Klantkompas Telefonie", KLANTKOMPAS, ("Callcentercomponent",)),
    P(
        "Vergunningwijzer VTH",
        VERGUNNINGWIJZER,
        (
            "Vergunning- Toezicht- en Handhavingcomponent fysieke leefomgeving",
            "Toepasbare regelscomponent",
            "Inspectiecomponent",
        ),
        export_formats="STAM, CSV",
        export_open_standard="yes",
        standards=("STAM - Aanvragen en meldingen", "STTR - Toepasbare Regels", "Zaken API-standaard"),
    ),
    P(
        "Formulierfabriek",
        FORMULIERFABRIEK,
        ("E-formulieren publicatie-en-beheercomponent",),
        export_formats="JSON",
        export_open_standard="yes",
        standards=("GEMMA e-formulieren specificatie", "Prefill eFormulieren services"),
    ),
    P("Betaalbrug", FORMULIERFABRIEK, ("Onlinebetalingcomponent",)),
    P("Veldwerk Meldingen", VELDWERK, ("Meldingen openbare ruimtecomponent",), export_formats="CSV"),
    P("Veldwerk Toezicht", VELDWERK, ("Mobiel-toezicht-en-handhavingcomponent",)),
    P(
        "Financio",
        FINANCIO,
        ("Financieel component", "Inkoopcomponent", "Kascomponent"),
        export_formats="XBRL, CSV",
        export_open_standard="yes",
        export_bulk_api="no",
        standards=("XBRL", "EN16931 / NL-CIUS (e-Factureren)"),
    ),
    P("Financio Planning & Control", FINANCIO, ("Planning en control component",), export_formats="XLSX"),
    P("Financio Contracten", FINANCIO, ("Contractbeheercomponent",), export_formats="CSV"),
    P(
        "Webgemeente CMS",
        WEBGEMEENTE,
        ("Webcontentpublicatie- en beheercomponent", "Producten-en-dienstencataloguscomponent"),
        export_formats="HTML, JSON",
        export_open_standard="yes",
        standards=("Samenwerkende Catalogi", "Digitoegankelijk"),
    ),
    P(
        "Mijn Loket",
        WEBGEMEENTE,
        ("Mijngemeentecomponent",),
        standards=("DigiD SAML koppelvlak", "MijnOverheid Lopende zaken koppelvlak"),
    ),
    P("Webgemeente Intranet", WEBGEMEENTE, ("Intranetcomponent",)),
    P(
        "Datastroom ESB",
        DATASTROOM,
        ("Gemeentelijke servicebuscomponent", "Gegevensdistributiecomponent"),
        kind="system_software",
        standards=("Digikoppeling ebMS", "Digikoppeling WUS", "StUF onderlaag"),
    ),
    P(
        "Datastroom Magazijn",
        DATASTROOM,
        ("Gegevensmagazijncomponent", "Data-warehousecomponent", "BI-component"),
        export_formats="CSV, SQL",
        export_open_standard="yes",
        export_bulk_api="yes",
        standards=("RSGB",),
    ),
    P(
        "Datastroom Notificaties",
        DATASTROOM,
        ("Notificatierouteringcomponent",),
        kind="system_software",
        standards=("Notificaties API-standaard (aanbieden, routeren, abonneren)",),
    ),
    P("Schermwerk SIEM", SCHERMWERK, ("SIEM-beheercomponent",), kind="system_software"),
    P(
        "Schermwerk Firewall",
        SCHERMWERK,
        ("Firewall component", "VPN-beheercomponent"),
        kind="system_software",
    ),
    P("Schermwerk Back-up", SCHERMWERK, ("Data-back-up-en-herstel-component",), kind="system_software"),
    P("Schermwerk Anti-Malware", SCHERMWERK, ("Anti-Malware-component",), kind="system_software"),
    P("Schermwerk Kwetsbaarheden", SCHERMWERK, ("Vulnerability-beheercomponent",), kind="system_software"),
    P("Gemeentewerk Afval", GEMEENTEWERK, ("Afvalinzamelingcomponent", "Afvalbeheercomponent")),
    P("Gemeentewerk Parkeren", GEMEENTEWERK, ("Parkeerbeheercomponent",)),
    P("Gemeentewerk Schuldhulp", GEMEENTEWERK, ("Budgetadvies- en schuldhulpverleningcomponent",)),
    P("Gemeentewerk Verkiezingen", GEMEENTEWERK, ("Verkiezingencomponent",)),
    P("Gemeentewerk Begraafplaatsen", GEMEENTEWERK, ("Gravenbeheercomponent",)),
    P("Gemeentewerk Subsidies", GEMEENTEWERK, ("Subsidiecomponent",)),
    P("Gemeentewerk Leerlingenvervoer", GEMEENTEWERK, ("Leerlingenvervoercomponent",)),
    P(
        "Gemeentewerk Vastgoed",
        GEMEENTEWERK,
        ("Vastgoedexploitatiecomponent", "Gemeentelijke eigendommencomponent"),
    ),
    P("Gemeentewerk Bezwaar", GEMEENTEWERK, ("Bezwaar- en beroepcomponent",)),
    P("Gemeentewerk Klachten", GEMEENTEWERK, ("Klachten- en meldingencomponent",)),
    P("Gemeentewerk Verwerkingen", GEMEENTEWERK, ("Verwerkingenregistercomponent",)),
    P("Gemeentewerk Crisis", GEMEENTEWERK, ("Crisismanagementcomponent",)),
    P("Gemeentewerk Leerplicht", GEMEENTEWERK, ("Leerlingenbeheercomponent",)),
    P("Gemeentewerk Servicedesk", GEMEENTEWERK, ("Helpdeskcomponent", "IT-objectencomponent")),
    P(
        "Gemeentewerk Documentcreatie",
        GEMEENTEWERK,
        ("Documentcreatiecomponent", "Outputmanagementcomponent"),
    ),
    P("Gemeentewerk Scannen", GEMEENTEWERK, ("Scanning-en-imagingcomponent",)),
    P("Gemeentewerk Ondertekenen", GEMEENTEWERK, ("Digitale-handtekeningcomponent",)),
    P("Gemeentewerk Tijdregistratie", GEMEENTEWERK, ("Tijdregistratiecomponent",)),
    P("Gemeentewerk Reserveren", GEMEENTEWERK, ("Facilitair reserveer- en uitleencomponent",)),
    P("Gemeentewerk Monumenten", GEMEENTEWERK, ("Monumentencomponent",)),
    P("Gemeentewerk Bodem", GEMEENTEWERK, ("Bodembeheercomponent",)),
    P("Gemeentewerk Risico's", GEMEENTEWERK, ("Risicobeheercomponent",)),
    P("Gemeentewerk Kwaliteit", GEMEENTEWERK, ("Klanttevredenheidcomponent", "Klantfeedbackcomponent")),
    P("Gemeentewerk Webcare", GEMEENTEWERK, ("Mediamonitor- en webcarecomponent", "Sociale mediacomponent")),
    P("Gemeentewerk Open Data", GEMEENTEWERK, ("Open-data-portaalcomponent",)),
    P("Gemeentewerk Wachtwoordkluis", GEMEENTEWERK, ("Wachtwoordbeheercomponent",), kind="system_software"),
    P(
        "Gemeentewerk Apparaatbeheer",
        GEMEENTEWERK,
        ("Mobile-device-managementcomponent",),
        kind="system_software",
    ),
    P("Gemeentewerk Licenties", GEMEENTEWERK, ("Software-licentiebeheercomponent",)),
    P("Gemeentewerk Projecten", GEMEENTEWERK, ("Projectmanagementcomponent",)),
    P("Gemeentewerk Kennisbank", GEMEENTEWERK, ("Kennisbeheercomponent",)),
    P("Gemeentewerk Camera", GEMEENTEWERK, ("Cameratoezichtcomponent",)),
    P("Gemeentewerk Logging", GEMEENTEWERK, ("Verwerkingenloggingcomponent", "Technische logging component")),
    P("Gemeentewerk Accommodaties", GEMEENTEWERK, ("Accommodatiebeheercomponent",)),
    P("Gemeentewerk Narrowcasting", GEMEENTEWERK, ("Narrowcasting component",)),
    P(
        "Dienstbus Koppelingen",
        DIENSTBUS,
        ("Gegevensdistributiecomponent", "Serviceregistercomponent"),
        kind="system_software",
        standards=("Digikoppeling ebMS", "Digilevering koppelvlak"),
    ),
)

# Niche applications: (product, GEMMA reference component). Suppliers alternate.
NICHE: tuple[tuple[str, str], ...] = (
    ("Vakwerk Agressieregistratie", "Agressieregistratie-component"),
    ("Vakwerk Gevonden Voorwerpen", "Gevonden en verloren voorwerpencomponent"),
    ("Vakwerk Erfpacht", "Erfpachtrechtcomponent"),
    ("Vakwerk Archeologie", "Archeologiecomponent"),
    ("Vakwerk Grondexploitatie", "Terreinexploitatiecomponent"),
    ("Vakwerk Schades", "Schadeafhandelcomponent"),
    ("Vakwerk Bedrijvenregister", "Bedrijven- en instellingen-registratiecomponent"),
    ("Vakwerk Toegangspassen", "Aanwezigheid- en toegangscontrolecomponent"),
    ("Vakwerk Magazijn", "Voorraadbeheercomponent"),
    ("Vakwerk Verkeersinformatie", "Verkeer- en vervoerinformatiecomponent"),
    ("Vakwerk Ideeën", "Ideeëncomponent"),
    ("Vakwerk Participatieplatform", "Cocreatiecomponent"),
    ("Vakwerk Buurtplein", "Buurtmarktplaatscomponent"),
    ("Vakwerk Roosters", "Roosterbeheercomponent"),
    ("Vakwerk Vacatures", "Vacaturematchingcomponent"),
    ("Vakwerk Kredietbank", "Kredietverstrekkingcomponent"),
    ("Vakwerk Schuldenadministratie", "Schuldenadministratiecomponent"),
    ("Vakwerk Sociale Werkvoorziening", "Sociale werkvoorzieningcomponent"),
    ("Vakwerk Zelftest", "Zelfdiagnosecomponent"),
    ("Vakwerk Zelfredzaamheid", "Zelfredzaamheidontwikkelcomponent"),
    ("Vakwerk KLIC", "KLIC-component"),
    ("Vakwerk BRO", "BRO-beheercomponent"),
    ("Vakwerk Keuringen", "Keuringcomponent"),
    ("Vakwerk Bestekken", "Bestekkencomponent"),
    ("Vakwerk Ontwerp", "Digitaal ontwerpencomponent"),
    ("Vakwerk Gebouwbeheer", "Gebouwinstallatiecomponent"),
    ("Vakwerk Verkeerslichten", "Verkeersregelinstallatiecomponent"),
    ("Vakwerk Havens", "Havencomponent"),
    ("Vakwerk Wkpb", "Wkpb-component"),
    ("Vakwerk Omgevingsbeleid", "Omgevingsbeleidcomponent"),
    ("Vakwerk Omgevingsviewer", "Omgevingsdocumentviewercomponent"),
    ("Vakwerk Regelbeheer", "Toepasbare regelscomponent"),
    ("Vakwerk Ketenportaal", "Ketenpartner-portaalcomponent"),
    ("Vakwerk Bestuurlijke Toezeggingen", "Bestuurlijk activiteiten bewakingcomponent"),
    ("Vakwerk Architectuur", "Architectuur- en ontwerpcomponent"),
    ("Vakwerk Ontwikkelstraat", "Software-ontwikkelcomponent"),
    ("Vakwerk Testen", "Software-testcomponent"),
    ("Vakwerk Netwerkbeheer", "Netwerkbeheercomponent"),
    ("Vakwerk Inbraakdetectie", "IDS-IPS-beheercomponent"),
    ("Vakwerk Spamfilter", "Anti-spamcomponent"),
    ("Vakwerk DDoS-bescherming", "Anti-DDOS-component"),
    ("Vakwerk Datalekpreventie", "Preventie-dataverliescomponent"),
    ("Vakwerk Continuïteit", "Bedrijfscontinuïteitsbeheercomponent"),
    ("Vakwerk Privacy", "Beveiliging- en privacycomponent"),
    ("Vakwerk Tekstassistent", "AI-component"),
    ("Vakwerk ETL", "Data-laad-en-transformatiecomponent"),
    ("Vakwerk Archiefportaal", "Archiefportaalcomponent"),
    ("Vakwerk Veiligheidshuis", "Veiligheidsmanagementcomponent"),
    ("Vakwerk Terugmeldingen", "Terugmeldingen-registratiecomponent"),
    ("Vakwerk Kaartinwinning", "Geo-gegevens inwincomponent"),
    ("Vakwerk Klantgeleiding", "Klantgeleidingcomponent"),
    ("Vakwerk Inspecties", "Inspectiecomponent"),
    ("Vakwerk Bouwdossiers", "Documentregistratiecomponent"),
    ("Vakwerk Sociale Media", "Sociale mediacomponent"),
    ("Vakwerk Releasebeheer", "Software-releasecomponent"),
    ("Vakwerk Kasbeheer", "Kascomponent"),
)

NICHE_SUPPLIERS = (VAKWERK, GEMEENTEWERK, REGIOTAAK)

PRODUCTS = PRODUCTS + tuple(
    P(name, NICHE_SUPPLIERS[i % len(NICHE_SUPPLIERS)], (component,), export_formats="CSV")
    for i, (name, component) in enumerate(NICHE)
)
