"""Demo content for the knowledge portal: real programmes, themes and projects only.

Every fact below is taken from a public source named in the comment next to it. Whatever could
not be verified is left empty (no invented dates, titles, partners or figures). ``load()`` is
idempotent: every row is matched by its slug (or natural key) and updated in place, so running it
twice leaves the counts unchanged.

Model municipalities are linked to the official register by AGS; the register is imported before
the demo content (``manage.py import_municipalities``). A missing AGS is skipped and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction

from ortswandel.core.audit import audit_log
from ortswandel.core.models import PublicationStatus
from ortswandel.municipalities.models import Municipality

from .models import (
    NewsItem,
    Organisation,
    OrganisationKind,
    PartnerRole,
    Programme,
    ProgrammeKind,
    Project,
    ProjectPartner,
    ProjectStatus,
    Publication,
    PublicationKind,
    Result,
    ResultKind,
    Theme,
    ThemeKind,
)

PUBLISHED = PublicationStatus.PUBLISHED
BMBF = "Bundesministerium für Bildung und Forschung (BMBF)"

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "²": "2", "³": "3", "_": "-", " ": "-"}
)


def demo_slug(text: str) -> str:
    """URL slug with German transliteration: ``"IN²"`` → ``"in2"``, ``"Bürgerfonds"`` →
    ``"buergerfonds"``, ``"KoDa_eG"`` → ``"koda-eg"``."""
    from django.utils.text import slugify

    return slugify(text.lower().translate(_TRANSLITERATION))


@dataclass(frozen=True)
class PartnerSpec:
    org: str  # Organisation slug (see ORGANISATIONS)
    role: str


@dataclass(frozen=True)
class ProjectSpec:
    acronym: str
    slug: str = ""
    title: str = ""
    summary: str = ""
    themes: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()  # AGS
    partners: tuple[PartnerSpec, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str = ""
    website: str = ""

    @property
    def key(self) -> str:
        return self.slug or demo_slug(self.acronym)


# --- Organisations ---------------------------------------------------------------------------
# (slug, name, kind, seat AGS or "", website)
ORGANISATIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # kommonitor.de/hintergrund, essen.de (KomMonitor), kommunen-innovativ.de/kommonitor
    ("stadt-essen", "Stadt Essen", OrganisationKind.MUNICIPALITY, "05113000", ""),
    (
        "stadt-muelheim-an-der-ruhr",
        "Stadt Mülheim an der Ruhr",
        OrganisationKind.MUNICIPALITY,
        "05117000",
        "",
    ),
    ("hochschule-bochum", "Hochschule Bochum", OrganisationKind.UNIVERSITY, "05911000", ""),
    (
        "ruhr-universitaet-bochum",
        "Ruhr-Universität Bochum",
        OrganisationKind.UNIVERSITY,
        "05911000",
        "",
    ),
    (
        "inwis",
        "InWIS – Institut für Wohnungswesen, Immobilienwirtschaft, Stadt- und Regionalentwicklung",
        OrganisationKind.RESEARCH_INSTITUTE,
        "05911000",
        "",
    ),
    # KIF: kommunen-innovativ.de/kif, kif-innovativ.de, uni-goettingen.de
    ("landkreis-gifhorn", "Landkreis Gifhorn", OrganisationKind.DISTRICT, "", ""),
    ("landkreis-nienburg-weser", "Landkreis Nienburg/Weser", OrganisationKind.DISTRICT, "", ""),
    (
        "regionalverband-grossraum-braunschweig",
        "Regionalverband Großraum Braunschweig",
        OrganisationKind.PUBLIC_BODY,
        "",
        "",
    ),
    (
        "universitaet-goettingen",
        "Georg-August-Universität Göttingen",
        OrganisationKind.UNIVERSITY,
        "03159016",
        "",
    ),
    # LebensRäume: kommunen-innovativ.de/lebensraeume, oeko.de project page
    ("oeko-institut", "Öko-Institut e. V.", OrganisationKind.RESEARCH_INSTITUTE, "08311000", ""),
    (
        "isoe",
        "ISOE – Institut für sozial-ökologische Forschung",
        OrganisationKind.RESEARCH_INSTITUTE,
        "06412000",
        "",
    ),
    (
        "ifeu",
        "ifeu – Institut für Energie- und Umweltforschung Heidelberg",
        OrganisationKind.RESEARCH_INSTITUTE,
        "08221000",
        "",
    ),
    ("kreis-steinfurt", "Kreis Steinfurt", OrganisationKind.DISTRICT, "", ""),
    ("energieland2050", "energieland2050 e. V.", OrganisationKind.ASSOCIATION, "", ""),
    # KoSI-Lab: kommunen-innovativ.de/kosi-lab
    (
        "sozialforschungsstelle-tu-dortmund",
        "Sozialforschungsstelle der Technischen Universität Dortmund",
        OrganisationKind.UNIVERSITY,
        "05913000",
        "",
    ),
    ("wuppertal-institut", "Wuppertal Institut", OrganisationKind.RESEARCH_INSTITUTE, "", ""),
    (
        "ils",
        "ILS – Institut für Landes- und Stadtentwicklungsforschung",
        OrganisationKind.RESEARCH_INSTITUTE,
        "",
        "",
    ),
    (
        "wirtschaftsfoerderung-dortmund",
        "Wirtschaftsförderung Dortmund",
        OrganisationKind.PUBLIC_BODY,
        "05913000",
        "",
    ),
    ("stadt-wuppertal", "Stadt Wuppertal", OrganisationKind.MUNICIPALITY, "05124000", ""),
    (
        "zentrum-fuer-gute-taten",
        "Zentrum für gute Taten e. V., Freiwilligenagentur Wuppertal",
        OrganisationKind.ASSOCIATION,
        "05124000",
        "",
    ),
    # Kleinstadt_gestalten: kommunen-innovativ.de/kleinstadtgestalten
    (
        "leibniz-institut-fuer-laenderkunde",
        "Leibniz-Institut für Länderkunde",
        OrganisationKind.RESEARCH_INSTITUTE,
        "",
        "",
    ),
    # KOMOBIL2035: kommunen-innovativ.de/komobil2035 (coordination)
    (
        "regionalverband-ostwuerttemberg",
        "Regionalverband Ostwürttemberg",
        OrganisationKind.PUBLIC_BODY,
        "",
        "",
    ),
    # kommunenstaerken.de, wifa.uni-leipzig.de (HKS)
    ("universitaet-leipzig", "Universität Leipzig", OrganisationKind.UNIVERSITY, "14713000", ""),
    # brandenburg-live.com: "Let's play Klimaanpassung" in cooperation with the TH Brandenburg
    (
        "technische-hochschule-brandenburg",
        "Technische Hochschule Brandenburg",
        OrganisationKind.UNIVERSITY,
        "12051000",
        "",
    ),
)

# --- Kommunen innovativ (BMBF, 2016–2020) -----------------------------------------------------
# Sources: ptj.de/kommunen_innovativ (two funding phases 2016–2020, FONA), kommunen-innovativ.de/
# fokusthemen (the four focus themes and their consortia), kommunen-innovativ.de/node/2188 (DStGB
# documentation, core messages, "rund 30 Verbundvorhaben … 2016 bis 2020").
KI_SLUG = "kommunen-innovativ"
KI_FOCUS_THEMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Infrastruktur und Daseinsvorsorge",
        "Wie Kommunen technische und soziale Infrastrukturen und Angebote der Daseinsvorsorge "
        "an Rückgang, Alterung und wechselnde An- und Abwesenheit der Bevölkerung anpassen.",
        (
            "Fokusland",
            "lebenswert",
            "NoLA",
            "TempALand",
            "JuMoWestküste",
            "KoDa_eG",
            "KuDeQua",
            "KOMOBIL2035",
            "iMona",
            "DeWaK",
        ),
    ),
    (
        "Innenentwicklung mit neuen Instrumenten",
        "Neue Träger- und Finanzierungsmodelle, Entscheidungshilfen und integrierte Konzepte, "
        "um Ortszentren und Bestandsimmobilien zu stärken.",
        (
            "Bürgerfonds",
            "KIF",
            "Ortsinnentwicklung",
            "KOMET",
            "MOSAIK",
            "AktVis",
            "LebensRäume",
            "Flächenmanagement",
        ),
    ),
    (
        "Partizipation und Innovation in Reallaboren",
        "",
        (
            "KoSI-LAB",
            "TransformBar",
            "WatNu",
            "Kleinstadt_gestalten",
            "CoProGrün",
            "LAZIKN2030",
            "IN²",
            "MIGOEK",
        ),
    ),
    (
        "Datenmanagement und Entscheidungstools",
        "",
        ("WEBWiKo", "KomMonitor", "NaKoFi", "IER-SEK"),
    ),
)
# The six core messages (Kernbotschaften). Short descriptions only where the programme's own
# pages state them (DStGB documentation page; Difu page on the accompanying research).
KI_CORE_MESSAGES: tuple[tuple[str, str], ...] = (
    (
        "Daseinsvorsorge sichern",
        "Kommunale Angebote und Einrichtungen mithilfe neuer Organisationsformen und "
        "Finanzierungsansätze aufrechterhalten.",
    ),
    ("Vielfalt leben", "Die Chancen einer vielfältigen Gesellschaft vor Ort aktiv nutzen."),
    ("Allianzen bilden", "Den Handlungsspielraum der Kommunen mit neuen Partnern erweitern."),
    ("Innen entwickeln", "Stadtzentren und Ortskerne als lebendige Wohn- und Lebensorte stärken."),
    ("Interkommunal agieren", ""),
    ("Experimente wagen", ""),
)
# Projects with facts beyond the acronym; "core_messages" are the Kernbotschaften the programme's
# own pages assign to a project (kommunen-innovativ.de, "Im Gespräch: Projektende").
# KomMonitor: kommonitor.de/hintergrund (full title, end 31.03.2021, partners),
# kommunen-innovativ.de/kommonitor (Essen and Mülheim an der Ruhr, InWIS); Hochschule Bochum
# coordinated the consortium.
KI_PROJECT_DETAILS: dict[str, dict[str, Any]] = {
    "KomMonitor": {
        "title": (
            "Kommunales Monitoring zur Raumentwicklung: Demografie, Sozialstruktur, Wohnen "
            "und Umwelt in der Stadt"
        ),
        "summary": (
            "<p>Die Städte Essen und Mülheim an der Ruhr entwickelten mit Forschenden aus Bochum "
            "ein GIS-gestütztes, raum-zeitliches Monitoringsystem, das Daten verschiedener "
            "städtischer Fachbereiche zusammenführt – als Frühwarnsystem für soziale und "
            "städtebauliche Veränderungen. Die Software ist als Open Source frei verfügbar.</p>"
        ),
        "end_date": dt.date(2021, 3, 31),
        "municipalities": ("05113000", "05117000"),
        "partners": (
            PartnerSpec("stadt-essen", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("stadt-muelheim-an-der-ruhr", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("hochschule-bochum", PartnerRole.COORDINATOR),
            PartnerSpec("ruhr-universitaet-bochum", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("inwis", PartnerRole.RESEARCH_PARTNER),
        ),
        "website": "https://kommunen-innovativ.de/kommonitor",
        "core_messages": ("daseinsvorsorge-sichern",),
    },
    # kommunen-innovativ.de/kif, kif-innovativ.de (consortium), uni-goettingen.de
    "KIF": {
        "title": "Kommunaler Innenentwicklungsfonds",
        "summary": (
            "<p>47 Gemeinden der Landkreise Nienburg/Weser und Gifhorn entwickelten mit der "
            "Universität Göttingen und dem Regionalverband Großraum Braunschweig einen "
            "freiwilligen, gemeinsam getragenen Fonds, aus dem Projekte der Innenentwicklung "
            "finanziert werden.</p>"
        ),
        "partners": (
            PartnerSpec("landkreis-gifhorn", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("landkreis-nienburg-weser", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("regionalverband-grossraum-braunschweig", PartnerRole.PRACTICE_PARTNER),
            PartnerSpec("universitaet-goettingen", PartnerRole.RESEARCH_PARTNER),
        ),
        "website": "https://www.kif-innovativ.de/",
    },
    # kommunen-innovativ.de/lebensraeume, oeko.de (title, partners), Kreis Steinfurt press
    # release of 8.10.2019 (model municipalities Ibbenbüren, Emsdetten, Mettingen).
    "LebensRäume": {
        "title": "Instrumente zur bedürfnisorientierten Wohnraumnutzung in Kommunen",
        "summary": (
            "<p>Der Kreis Steinfurt erprobte mit Forschenden, wie vorhandener Wohnraum in Ein- "
            "und Zweifamilienhäusern generationengerecht genutzt werden kann – mit Beratung und "
            "Vermittlung für ältere Eigentümerinnen und Eigentümer und freiwerdendem Wohnraum "
            "für Jüngere und Familien.</p>"
        ),
        "municipalities": ("05566028", "05566008", "05566056"),
        "partners": (
            PartnerSpec("oeko-institut", PartnerRole.COORDINATOR),
            PartnerSpec("isoe", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("ifeu", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("kreis-steinfurt", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("energieland2050", PartnerRole.PRACTICE_PARTNER),
        ),
        "website": "https://kommunen-innovativ.de/lebensraeume",
        "core_messages": ("innen-entwickeln", "interkommunal-agieren"),
    },
    # kommunen-innovativ.de/kosi-lab
    "KoSI-LAB": {
        "title": "Kommunale Labore sozialer Innovation",
        "summary": (
            "<p>Dortmund und Wuppertal richteten mit Forschenden zwei kommunale "
            "Innovationslabore ein, in denen Verwaltung, Unternehmen, Initiativen und "
            "Wissenschaft gemeinsam neue Ideen, Prototypen und Geschäftsmodelle entwickeln.</p>"
        ),
        "municipalities": ("05913000", "05124000"),
        "partners": (
            PartnerSpec("sozialforschungsstelle-tu-dortmund", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("wuppertal-institut", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("ils", PartnerRole.RESEARCH_PARTNER),
            PartnerSpec("wirtschaftsfoerderung-dortmund", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("stadt-wuppertal", PartnerRole.MUNICIPAL_PARTNER),
            PartnerSpec("zentrum-fuer-gute-taten", PartnerRole.PRACTICE_PARTNER),
        ),
        "website": "https://kommunen-innovativ.de/kosi-lab",
        "core_messages": ("daseinsvorsorge-sichern", "allianzen-bilden", "experimente-wagen"),
    },
    # Full titles from the BMBF brochure "Kommunen innovativ – Neue Forschungsprojekte für
    # Regionen im Wandel" (table of contents).
    "AktVis": {
        "title": (
            "Aktivierung von Flächenpotenzialen für eine Siedlungsentwicklung nach innen – "
            "Beteiligung und Mobilisierung durch Visualisierung"
        ),
    },
    "DeWaK": {
        "title": (
            "Den demografischen Wandel bewältigen: Neue Organisations- und Finanzierungsmodelle "
            "für soziale Einrichtungen auf kommunaler Ebene"
        ),
    },
    "Flächenmanagement": {
        "title": (
            "Verringerung des Flächenverbrauchs durch ein vorausschauendes Monitoring der "
            "Auswirkungen des demografischen Wandels auf den Flächenbedarf und einem nachhaltigen "
            "Flächenmanagement im Bereich von Gewerbeflächen"
        ),
    },
    "IER-SEK": {
        "title": (
            "Instrument zur Entscheidungsunterstützung für Großvermieter zur Realisierung von "
            "Stadtentwicklungskonzepten"
        ),
    },
    "iMona": {
        "title": "Intelligente Mobilität und Nahversorgung für den Landkreis Freyung-Grafenau",
    },
    # kommunen-innovativ.de/komobil2035 (coordination, trial areas), …/komobil2035-
    # abschlussveranstaltung-im-januar-2020 (final event on 17 January 2020)
    "KOMOBIL2035": {
        "summary": (
            "<p>Acht Partner aus Kommunen, Wirtschaft und Wissenschaft untersuchten in der "
            "Region Ostwürttemberg, wie ehrenamtlich getragene Mobilitätsangebote mit "
            "öffentlichen und privatwirtschaftlichen Angeboten verknüpft und langfristig "
            "gesichert werden können. Erprobt wurde das Konzept im Ostalbkreis, im Landkreis "
            "Heidenheim und in der Gemeinde Rainau.</p>"
        ),
        "municipalities": ("08136089",),
        "partners": (PartnerSpec("regionalverband-ostwuerttemberg", PartnerRole.COORDINATOR),),
        "website": "https://kommunen-innovativ.de/komobil2035",
    },
    # buergergesellschaft.de (Wegweiser Bürgergesellschaft) on the research project
    "Bürgerfonds": {
        "summary": (
            "<p>Ein zivilgesellschaftlich getragenes Entscheidungs- und Finanzierungsmodell für "
            "Innenentwicklung und Stadtumbau in schrumpfenden kleinen und mittleren Städten: "
            "ein revolvierender Fonds, mit dem Bürgerinitiativen Immobilien in historischen "
            "Stadtkernen sichern und wiederbeleben.</p>"
        ),
    },
    # kommunen-innovativ.de/kleinstadtgestalten
    "Kleinstadt_gestalten": {
        "summary": (
            "<p>In Weißwasser/O.L. stärkten Stadt und Wissenschaft das Engagement von "
            "Jugendlichen, jungen Frauen und Rückkehrenden: Bürgerprojekte der freiwilligen "
            "Daseinsvorsorge, unterstützt durch eine Sommer-Schule, einen Kleinprojektefonds und "
            "eine Werkschau.</p>"
        ),
        "municipalities": ("14626600",),
        "partners": (
            PartnerSpec("leibniz-institut-fuer-laenderkunde", PartnerRole.RESEARCH_PARTNER),
        ),
        "website": "https://kommunen-innovativ.de/kleinstadtgestalten",
    },
}

# --- T!Raum initiative "Handlungskompetenz der Kommunen stärken" (Universität Leipzig) ---------
# Sources: kommunenstaerken.de (fields of action), wifa.uni-leipzig.de, myscience.de 2023
# (workshop areas "Transfer durch KoKreation" from 1.10.2023, "Transfer über Köpfe" from
# 1.12.2023; Eilenburg, Weißenfels, Zeitz), kommunenstaerken.de/news (KoKreation in Zeitz and
# Weißenfels).
HKS_SLUG = "handlungskompetenz-der-kommunen-staerken"
HKS_FIELDS_OF_ACTION = (
    "Kommunale Strategieentwicklung und Wirtschaftsförderung",
    "Ressourcenmanagement und Klimaanpassung",
    "Partizipative Stadtentwicklung",
)
HKS_WORKSHOP_AREAS = ("Transfer durch KoKreation", "Transfer über Köpfe")
HKS_PROJECTS = (
    ProjectSpec(
        acronym="KoKreation",
        slug="hks-kokreation",
        title="Transfer durch KoKreation",
        themes=("transfer-durch-kokreation",),
        municipalities=("15084590", "15084550"),  # Zeitz, Weißenfels
        partners=(PartnerSpec("universitaet-leipzig", PartnerRole.RESEARCH_PARTNER),),
        start_date=dt.date(2023, 10, 1),
        website="https://www.kommunenstaerken.de/",
    ),
    ProjectSpec(
        acronym="Köpfe",
        slug="hks-koepfe",
        title="Transfer über Köpfe",
        themes=("transfer-ueber-koepfe",),
        partners=(PartnerSpec("universitaet-leipzig", PartnerRole.RESEARCH_PARTNER),),
        start_date=dt.date(2023, 12, 1),
        website="https://www.kommunenstaerken.de/",
    ),
)

# --- Brandenburg: Landesinitiative "Meine Stadt der Zukunft" (MIL) -------------------------------
# Sources: msdz.brandenburg.de/msdz/de/modellstaedte (start September 2020; round 1 with eight
# model projects closed November 2022; round 2 with seven model projects 2023–2025; future themes
# Klimawandel, Digitalisierung, Gemeinwohl), …/modellstaedte-2021-2022 (titles of round 1),
# deutscher-verband.org (the seven towns of round 2), osftv.de 2024-09-04 quoting the MIL (subjects
# of round 2), mil.brandenburg.de press release 27.11.2025 (final conference; 15 model projects,
# 1.3 million euros), brandenburg-live.com ("Let´s play Klimaanpassung", TH Brandenburg).
MSDZ_SLUG = "meine-stadt-der-zukunft"
MSDZ_THEMES = ("Klimawandel", "Digitalisierung", "Gemeinwohl")
_R1 = "<p>Modellvorhaben der ersten Förderrunde (2020–2022).</p>"


def _r2(subject: str) -> str:
    return f"<p>Modellvorhaben der zweiten Förderrunde (2023–2025): {subject}.</p>"


MSDZ_PROJECTS = (
    # round 1 (2020–2022)
    ProjectSpec(
        "Bad Belzig",
        "msdz-bad-belzig-2020",
        "Smart City Bad Belzig 2030",
        _R1,
        municipalities=("12069020",),
    ),
    ProjectSpec(
        "Cottbus",
        "msdz-cottbus-2020",
        "Meine Modell-Stadt der Zukunft. Bauen, Teilen, Diskutieren – Spielerisch die Zukunft "
        "gestalten",
        _R1,
        municipalities=("12052000",),
    ),
    ProjectSpec(
        "Eberswalde",
        "msdz-eberswalde-2020",
        "EW 2035 | Meine Stadt",
        _R1,
        municipalities=("12060052",),
    ),
    ProjectSpec(
        "Großräschen",
        "msdz-grossraeschen-2020",
        "Auf zu neuen Ufern – Die Seestadt Großräschen vernetzt ihre Qualitäten",
        _R1,
        municipalities=("12066112",),
    ),
    ProjectSpec(
        "Herzberg (Elster)",
        "msdz-herzberg-elster-2020",
        "Radeln in die Zukunft#Villa",
        _R1,
        municipalities=("12062224",),
    ),
    ProjectSpec(
        "Neuruppin",
        "msdz-neuruppin-2020",
        "Gemeinsam. Innovativ. Gerecht.",
        _R1,
        municipalities=("12068320",),
    ),
    ProjectSpec(
        "Perleberg und Wittenberge",
        "msdz-perleberg-wittenberge-2020",
        "Zwei Städte – ein Weg zur neuen Mitte",
        _R1,
        municipalities=("12070296", "12070424"),
    ),
    ProjectSpec("Zossen", "msdz-zossen-2020", "Zukunft Zossen", _R1, municipalities=("12072477",)),
    # round 2 (2023–2025)
    ProjectSpec(
        "Angermünde",
        "msdz-angermuende-2023",
        "",
        _r2("Entwicklung eines urbanen Gartenquartiers"),
        municipalities=("12073008",),
    ),
    ProjectSpec(
        "Bad Belzig",
        "msdz-bad-belzig-2023",
        "",
        _r2(
            "Konzeption einer klimaneutralen Strom- und Wärmeversorgung durch eine "
            "Bürger-Energie-Genossenschaft"
        ),
        municipalities=("12069020",),
    ),
    ProjectSpec(
        "Brandenburg an der Havel",
        "msdz-brandenburg-an-der-havel-2023",
        "Let´s play Klimaanpassung",
        _r2(
            "klimaangepasste Gestaltung des öffentlichen Raums; Abschlussdialog am "
            "29. September 2025"
        ),
        themes=("klimawandel",),
        municipalities=("12051000",),
        partners=(PartnerSpec("technische-hochschule-brandenburg", PartnerRole.RESEARCH_PARTNER),),
    ),
    ProjectSpec(
        "Frankfurt (Oder)",
        "msdz-frankfurt-oder-2023",
        "",
        _r2("Zentrum für nachhaltiges Wirtschaften"),
        municipalities=("12053000",),
    ),
    ProjectSpec(
        "Ludwigsfelde",
        "msdz-ludwigsfelde-2023",
        "",
        _r2("funktionelle Verbindung von Gewerbe und Kernstadt"),
        municipalities=("12072240",),
    ),
    ProjectSpec(
        "Potsdam",
        "msdz-potsdam-2023",
        "",
        _r2("Neugestaltung von Straßenräumen"),
        municipalities=("12054000",),
    ),
    ProjectSpec(
        "Senftenberg",
        "msdz-senftenberg-2023",
        "",
        _r2("Nutzung von Augmented und Virtual Reality in Partizipationsprozessen"),
        themes=("digitalisierung",),
        municipalities=("12066304",),
    ),
)


# --- Loader ---------------------------------------------------------------------------------------
class _Loader:
    def __init__(self, stdout: TextIO | None) -> None:
        self.stdout = stdout
        self.missing_ags: set[str] = set()
        self._municipalities: dict[str, Municipality] = {}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def municipalities(self, ags_list: tuple[str, ...]) -> list[Municipality]:
        wanted = [ags for ags in ags_list if ags not in self._municipalities]
        if wanted:
            for row in Municipality.objects.filter(ags__in=wanted):
                self._municipalities[row.ags] = row
        found = []
        for ags in ags_list:
            if ags in self._municipalities:
                found.append(self._municipalities[ags])
            else:
                self.missing_ags.add(ags)
        return found

    def organisations(self) -> dict[str, Organisation]:
        result = {}
        for slug, name, kind, ags, website in ORGANISATIONS:
            seat = self.municipalities((ags,)) if ags else []
            org, _ = Organisation.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "municipality": seat[0] if seat else None,
                    "website": website,
                },
            )
            result[slug] = org
        return result

    def theme(
        self, programme: Programme, kind: str, name: str, position: int, description: str = ""
    ) -> Theme:
        theme, _ = Theme.objects.update_or_create(
            programme=programme,
            slug=demo_slug(name),
            defaults={
                "kind": kind,
                "name": name,
                "position": position,
                "description": f"<p>{description}</p>" if description else "",
                "status": PUBLISHED,
            },
        )
        return theme

    def project(
        self,
        programme: Programme,
        spec: ProjectSpec,
        themes: dict[str, Theme],
        orgs: dict[str, Organisation],
        status: str = "",
    ) -> Project:
        project, _ = Project.objects.update_or_create(
            slug=spec.key,
            defaults={
                "programme": programme,
                "acronym": spec.acronym,
                "title": spec.title,
                "summary": spec.summary,
                "start_date": spec.start_date,
                "end_date": spec.end_date,
                "project_status": spec.status or status,
                "website": spec.website,
                "status": PUBLISHED,
            },
        )
        project.themes.set([themes[slug] for slug in spec.themes])
        project.municipalities.set(self.municipalities(spec.municipalities))
        wanted = {(orgs[p.org].pk, p.role) for p in spec.partners}
        existing = set(project.partnerships.values_list("organisation_id", "role"))
        for org_id, role in wanted - existing:
            ProjectPartner.objects.create(project=project, organisation_id=org_id, role=role)
        for org_id, role in existing - wanted:
            project.partnerships.filter(organisation_id=org_id, role=role).delete()
        return project

    # -- programmes ------------------------------------------------------------------------------
    def kommunen_innovativ(self, orgs: dict[str, Organisation]) -> Programme:
        programme, _ = Programme.objects.update_or_create(
            slug=KI_SLUG,
            defaults={
                "name": "Kommunen innovativ",
                "short_name": "",
                "kind": ProgrammeKind.FEDERAL_FUNDING,
                "funder": BMBF,
                "start_year": 2016,
                "end_year": 2020,
                "summary": (
                    "Fördermaßnahme des BMBF, in der Kommunen gemeinsam mit Wissenschaft, "
                    "Wirtschaft und Zivilgesellschaft Lösungen für Regionen im demografischen "
                    "Wandel entwickelt und erprobt haben – 30 Verbundvorhaben in den ersten "
                    "beiden Förderrunden von 2016 bis 2020."
                ),
                "description": (
                    "<p>„Kommunen innovativ“ stärkt Kommunen als Initiatoren, Partner und "
                    "Adressaten von Forschung, Entwicklung und Innovation. Die Fördermaßnahme ist "
                    "Teil des BMBF-Rahmenprogramms „Forschung für Nachhaltige Entwicklung“ (FONA). "
                    "Die Verbundvorhaben der Förderphasen 2016 bis 2020 bearbeiteten vier "
                    "Fokusthemen; ihre Ergebnisse sind in Kernbotschaften gebündelt, etwa "
                    "„Daseinsvorsorge sichern“, „Innen entwickeln“ und „Experimente wagen“.</p>"
                    "<p>Mit einer Änderungsbekanntmachung vom März 2020 wurde die Zielstellung "
                    "erneuert: Gefördert werden seither verstärkt Kommunen in strukturschwachen "
                    "Regionen. Diese späteren Vorhaben sind hier nicht erfasst.</p>"
                ),
                "website": "https://kommunen-innovativ.de/",
                "status": PUBLISHED,
            },
        )
        themes: dict[str, Theme] = {}
        for position, (name, description, _acronyms) in enumerate(KI_FOCUS_THEMES, start=1):
            theme = self.theme(programme, ThemeKind.FOCUS_THEME, name, position, description)
            themes[theme.slug] = theme
        for position, (name, description) in enumerate(KI_CORE_MESSAGES, start=1):
            theme = self.theme(programme, ThemeKind.CORE_MESSAGE, name, position, description)
            themes[theme.slug] = theme
        projects: dict[str, Project] = {}
        for focus_name, _description, acronyms in KI_FOCUS_THEMES:
            for acronym in acronyms:
                details = dict(KI_PROJECT_DETAILS.get(acronym, {}))
                core_messages = details.pop("core_messages", ())
                spec = ProjectSpec(
                    acronym=acronym, themes=(demo_slug(focus_name), *core_messages), **details
                )
                # The measure's funding phases ended in 2020; all consortia are completed.
                projects[acronym] = self.project(
                    programme, spec, themes, orgs, status=ProjectStatus.COMPLETED
                )

        # Result: KomMonitor software (kommunen-innovativ.de/alle-ins-boot-holen, kommonitor.de).
        result, _ = Result.objects.update_or_create(
            slug="kommonitor-software",
            defaults={
                "title": "KomMonitor – Software für das kommunale Monitoring",
                "kind": ResultKind.TOOL,
                "programme": programme,
                "summary": (
                    "<p>Web-gestütztes Werkzeug für Management, Analyse, Visualisierung und "
                    "Beobachtung kommunaler Geodaten und Statistiken in ihrer raum-zeitlichen "
                    "Entwicklung. Es nutzt ausschließlich frei verfügbare Software; der Quellcode "
                    "ist als Open Source veröffentlicht, es fallen keine Lizenzkosten an.</p>"
                ),
                "target_group": "Kommunalverwaltungen",
                "url": "https://kommonitor.de/",
                "is_featured": True,
                "status": PUBLISHED,
            },
        )
        result.themes.set([themes["datenmanagement-und-entscheidungstools"]])
        result.projects.set([projects["KomMonitor"]])
        # kommunen-innovativ.de/kif: the fund model itself is the consortium's result.
        kif, _ = Result.objects.update_or_create(
            slug="kommunaler-innenentwicklungsfonds",
            defaults={
                "title": "Kommunaler Innenentwicklungsfonds (KIF)",
                "kind": ResultKind.INSTRUMENT,
                "programme": programme,
                "summary": (
                    "<p>Freiwilliger Fonds mehrerer Gemeinden und ihres Landkreises: Die Städte "
                    "und Gemeinden zahlen anteilig nach Steuerkraft und Einwohnerzahl ein, der "
                    "Landkreis in vergleichbarer Höhe. Gefördert werden im Wettbewerb die besten "
                    "Projekte der Innenentwicklung.</p>"
                ),
                "url": "https://kommunen-innovativ.de/kif",
                "status": PUBLISHED,
            },
        )
        kif.themes.set(
            [themes["innenentwicklung-mit-neuen-instrumenten"], themes["innen-entwickeln"]]
        )
        kif.projects.set([projects["KIF"]])
        # kommunen-innovativ.de/der-kleinprojektefonds and /kleinstadtgestalten
        fund, _ = Result.objects.update_or_create(
            slug="kleinprojektefonds-weisswasser",
            defaults={
                "title": "Kleinprojektefonds für Bürgerprojekte",
                "kind": ResultKind.INSTRUMENT,
                "programme": programme,
                "summary": (
                    "<p>Ein von der Stadtverwaltung Weißwasser verantworteter Fonds als "
                    "Anschubfinanzierung für ausgewählte Bürgerprojekte der freiwilligen "
                    "Daseinsvorsorge – erprobt im Projekt Kleinstadt_gestalten.</p>"
                ),
                "target_group": "Kleinstädte",
                "url": "https://kommunen-innovativ.de/der-kleinprojektefonds",
                "status": PUBLISHED,
            },
        )
        fund.themes.set([themes["partizipation-und-innovation-in-reallaboren"]])
        fund.projects.set([projects["Kleinstadt_gestalten"]])

        # Publications (kommunen-innovativ.de/node/2188 and /alle-ins-boot-holen).
        dstgb, _ = Publication.objects.update_or_create(
            slug="dstgb-dokumentation-kommunen-innovativ",
            defaults={
                "title": (
                    "Kommunen innovativ – Ansätze für eine zukunftsorientierte Entwicklung von "
                    "Städten und Gemeinden"
                ),
                "kind": PublicationKind.DOCUMENTATION,
                "programme": programme,
                "publisher": "Deutscher Städte- und Gemeindebund (DStGB)",
                "year": None,
                "summary": (
                    "<p>DStGB-Dokumentation mit ausgewählten Ergebnissen der Fördermaßnahme, "
                    "Hintergründen und Interviews mit vier Bürgermeistern aus beteiligten "
                    "Modellkommunen.</p>"
                ),
                "url": "https://kommunen-innovativ.de/node/2188",
                "status": PUBLISHED,
            },
        )
        # The documentation page names these four core messages as its focus.
        dstgb.themes.set(
            [
                themes[slug]
                for slug in (
                    "daseinsvorsorge-sichern",
                    "vielfalt-leben",
                    "allianzen-bilden",
                    "innen-entwickeln",
                )
            ]
        )
        book, _ = Publication.objects.update_or_create(
            slug="kommunen-innovativ-loesungen-ergebnisband",
            defaults={
                "title": (
                    "Kommunen innovativ – Lösungen für Städte und Regionen im demografischen "
                    "Wandel. Ergebnisse der BMBF-Fördermaßnahme"
                ),
                "kind": PublicationKind.BOOK,
                "programme": programme,
                "authors": (
                    "Jan Abt, Lutke Blecken, Stephanie Bock, Julia Diringer, Katrin Fahrenkrug "
                    "(Hrsg.)"
                ),
                "publisher": "",
                # The programme's pages cite it as "Berlin 2020" and as "Berlin 2021": unknown.
                "year": None,
                "summary": "<p>Ergebnisband der Fördermaßnahme, erschienen in Berlin.</p>",
                "url": "",
                "status": PUBLISHED,
            },
        )
        book.projects.set([projects["KomMonitor"], projects["Kleinstadt_gestalten"]])
        return programme

    def hks(self, orgs: dict[str, Organisation]) -> Programme:
        programme, _ = Programme.objects.update_or_create(
            slug=HKS_SLUG,
            defaults={
                "name": "Handlungskompetenz der Kommunen stärken",
                "short_name": "HKS",
                "kind": ProgrammeKind.TRANSFER_INITIATIVE,
                "funder": (
                    f"{BMBF}, Förderprogramm „T!Raum – TransferRäume für die Zukunft von Regionen“"
                ),
                "start_year": None,
                "end_year": None,
                "summary": (
                    "T!Raum-Initiative der Universität Leipzig: Wissenstransfer zwischen "
                    "Kommunen und Wissenschaft in Klein- und Mittelstädten Mitteldeutschlands."
                ),
                "description": (
                    "<p>Die Transferraum-Initiative stärkt die Handlungskompetenz von "
                    "Verwaltungen, Wirtschaft und Zivilgesellschaft in Klein- und Mittelstädten, "
                    "die vor demografischem Wandel, Strukturwandel und Klimawandel stehen. "
                    "Gemeinsame Formate von Wissensproduktion und Wissenstransfer sollen lokale "
                    "Lösungen unter Beteiligung der Bürgerinnen und Bürger ermöglichen.</p>"
                ),
                "website": "https://www.kommunenstaerken.de/",
                "status": PUBLISHED,
            },
        )
        themes: dict[str, Theme] = {}
        for position, name in enumerate(HKS_FIELDS_OF_ACTION, start=1):
            theme = self.theme(programme, ThemeKind.FIELD_OF_ACTION, name, position)
            themes[theme.slug] = theme
        for position, name in enumerate(HKS_WORKSHOP_AREAS, start=1):
            theme = self.theme(programme, ThemeKind.WORKSHOP_AREA, name, position)
            themes[theme.slug] = theme
        for spec in HKS_PROJECTS:
            self.project(programme, spec, themes, orgs)
        # kommunenstaerken.de/news: start of two participation projects on 7 February 2025.
        news, _ = NewsItem.objects.update_or_create(
            slug="hks-beteiligung-zeitz-weissenfels-2025",
            defaults={
                "title": "Beteiligungsprojekte in Weißenfels und Zeitz gestartet",
                "programme": programme,
                "published_on": dt.date(2025, 2, 7),
                "teaser": (
                    "Im Werkstattbereich „Transfer durch KoKreation“ sind zwei "
                    "Beteiligungsprojekte gestartet: zur Zukunft der „Bluebox“ auf dem "
                    "Schützenplatz in Zeitz und mit der „Merse54“ in Weißenfels."
                ),
                "body": (
                    '<p>Quelle: <a href="https://kommunenstaerken.de/news">Meldungen der '
                    "T!Raum-Initiative</a>.</p>"
                ),
                "status": PUBLISHED,
            },
        )
        news.themes.set([themes["transfer-durch-kokreation"]])
        return programme

    def msdz(self, orgs: dict[str, Organisation]) -> Programme:
        programme, _ = Programme.objects.update_or_create(
            slug=MSDZ_SLUG,
            defaults={
                "name": "Meine Stadt der Zukunft",
                "short_name": "MSdZ",
                "kind": ProgrammeKind.STATE_INITIATIVE,
                "funder": (
                    "Ministerium für Infrastruktur und Landesplanung des Landes Brandenburg (MIL)"
                ),
                "start_year": 2020,
                "end_year": 2025,
                "summary": (
                    "Landesinitiative des Landes Brandenburg: Seit 2020 wurden in zwei "
                    "Förderrunden 15 Modellvorhaben mit insgesamt 1,3 Millionen Euro Landesmitteln "
                    "unterstützt."
                ),
                "description": (
                    "<p>Die Landesinitiative startete im September 2020. Die erste Förderrunde "
                    "mit acht Modellvorhaben endete mit der Abschlusskonferenz im November 2022. "
                    "In der zweiten Förderrunde (2023 bis 2025) setzten sich sieben Modellvorhaben "
                    "unter Einbeziehung der Stadtgesellschaft mit den Zukunftsthemen "
                    "„Klimawandel“, „Digitalisierung“ und „Gemeinwohl“ auseinander.</p>"
                ),
                "website": "https://msdz.brandenburg.de/msdz/de/",
                "status": PUBLISHED,
            },
        )
        themes: dict[str, Theme] = {}
        for position, name in enumerate(MSDZ_THEMES, start=1):
            theme = self.theme(programme, ThemeKind.FOCUS_THEME, name, position)
            themes[theme.slug] = theme
        for spec in MSDZ_PROJECTS:
            # Both rounds are over (MIL press release of 27 November 2025).
            self.project(programme, spec, themes, orgs, status=ProjectStatus.COMPLETED)
        NewsItem.objects.update_or_create(
            slug="msdz-abschlusskonferenz-2025",
            defaults={
                "title": "Abschlusskonferenz der Landesinitiative „Meine Stadt der Zukunft“",
                "programme": programme,
                "published_on": dt.date(2025, 11, 27),
                "teaser": (
                    "In Potsdam zogen das Ministerium für Infrastruktur und Landesplanung und die "
                    "Modellkommunen Bilanz: Seit 2020 wurden in zwei Runden 15 Modellvorhaben mit "
                    "insgesamt 1,3 Millionen Euro Landesmitteln unterstützt."
                ),
                "body": (
                    '<p>Quelle: <a href="https://mil.brandenburg.de/mil/de/presse/detail/'
                    '~27-11-2025-abschlusskonferenz-landesinitiative-msdz">Pressemitteilung des '
                    "MIL vom 27.11.2025</a>.</p>"
                ),
                "status": PUBLISHED,
            },
        )
        return programme


def load(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Create or update the catalogue demo content; returns the row counts per model."""
    loader = _Loader(stdout)
    with transaction.atomic():
        orgs = loader.organisations()
        loader.kommunen_innovativ(orgs)
        loader.hks(orgs)
        loader.msdz(orgs)
        counts = {
            "programmes": Programme.objects.count(),
            "themes": Theme.objects.count(),
            "projects": Project.objects.count(),
            "organisations": Organisation.objects.count(),
            "project_partners": ProjectPartner.objects.count(),
            "results": Result.objects.count(),
            "publications": Publication.objects.count(),
            "news": NewsItem.objects.count(),
        }
        audit_log(
            action="catalogue.demo_content.loaded",
            payload={"counts": counts, "missing_ags": sorted(loader.missing_ags)},
        )
    if loader.missing_ags:
        loader.say(
            "Hinweis: Diese Gemeindeschlüssel fehlen im Kommunenverzeichnis und wurden "
            f"übersprungen (zuerst import_municipalities ausführen): "
            f"{', '.join(sorted(loader.missing_ags))}"
        )
    loader.say(
        "Katalog-Demoinhalte: " + ", ".join(f"{name} {count}" for name, count in counts.items())
    )
    return counts
