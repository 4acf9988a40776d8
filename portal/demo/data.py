"""Invented but plausible facts of the demo alliance: organizations, people, groups, themes."""

ORGANIZATIONS = [
    # name, sector, address
    ("Stadt Bottrop – Wirtschaftsförderung", "Verwaltung", "Ernst-Wilczok-Platz 1, 46236 Bottrop"),
    ("Büro des Oberbürgermeisters", "Verwaltung", "Ernst-Wilczok-Platz 1, 46236 Bottrop"),
    ("Rat der Stadt Bottrop", "Politik", "Ernst-Wilczok-Platz 1, 46236 Bottrop"),
    ("Institut Arbeit und Technik (Westfälische Hochschule)", "Wissenschaft", "Munscheidstraße 14, 45886 Gelsenkirchen"),
    ("Faktor 10 – Institut für nachhaltiges Wirtschaften", "Wissenschaft", "Osterfelder Straße 12, 46236 Bottrop"),
    ("Hochschule Ruhr West, Campus Bottrop", "Wissenschaft", "Lützowstraße 5, 46236 Bottrop"),
    ("Tischlerei Hövelmann", "Handwerk", "Gladbecker Straße 88, 46236 Bottrop"),
    ("Elektro Szymanski GmbH", "Handwerk", "Prosperstraße 201, 46238 Bottrop"),
    ("Dachdeckerei Kowalczyk", "Handwerk", "Horster Straße 45, 46240 Bottrop"),
    ("Bäckerei Brinkmann", "Handwerk", "Hochstraße 19, 46236 Bottrop"),
    ("Metallbau Terhorst", "Handwerk", "Am Dickebank 7, 46240 Bottrop"),
    ("Sanitär Wiesmann & Sohn", "Handwerk", "Kirchhellener Straße 112, 46236 Bottrop"),
    ("Raumausstattung Lohmann", "Handwerk", "Essener Straße 30, 46236 Bottrop"),
    ("Modehaus Oberhoff", "Handel", "Hansastraße 8, 46236 Bottrop"),
    ("Buchhandlung Ludwig", "Handel", "Kirchplatz 3, 46236 Bottrop"),
    ("Fahrradhaus Kempken", "Handel", "Osterfelder Straße 66, 46236 Bottrop"),
    ("Feinkost Hagedorn", "Handel", "Gladbecker Straße 4, 46236 Bottrop"),
    ("Spielwaren Pütz", "Handel", "Hochstraße 41, 46236 Bottrop"),
    ("Optik Sander", "Handel", "Pferdemarkt 2, 46236 Bottrop"),
    ("Werbegemeinschaft Innenstadt Bottrop e. V.", "Handel", "Hansastraße 1, 46236 Bottrop"),
    ("Ruhrlogistik Bottrop GmbH", "Dienstleistung", "Boyer Straße 250, 46236 Bottrop"),
    ("Pixelwerk Medien", "Dienstleistung", "Südring 27, 46242 Bottrop"),
    ("Steuerberatung Dreier & Partner", "Dienstleistung", "Kirchhellener Straße 5, 46236 Bottrop"),
    ("IT-Service Nowak", "Dienstleistung", "Scharnhölzstraße 91, 46236 Bottrop"),
    ("Sparkasse Bottrop", "Dienstleistung", "Kirchplatz 1, 46236 Bottrop"),
    ("Pflegedienst Ruhrherz", "Dienstleistung", "Gahlener Straße 14, 46244 Bottrop"),
    ("Prosper Kunststofftechnik GmbH", "Industrie", "Industriestraße 12, 46240 Bottrop"),
    ("Emscher Maschinenbau AG", "Industrie", "Welheimer Straße 180, 46238 Bottrop"),
    ("Kokerei-Service West GmbH", "Industrie", "Im Welheimer Feld 3, 46238 Bottrop"),
    ("Grünstrom Energiesysteme GmbH", "Industrie", "Knappenstraße 20, 46238 Bottrop"),
    ("Betonwerk Batenbrock", "Industrie", "Batenbrockstraße 60, 46238 Bottrop"),
    ("Lastenrad Ruhr UG", "Gründung", "Gleiwitzer Platz 2, 46236 Bottrop"),
    ("Kreislaufmode Bottrop", "Gründung", "Altmarkt 4, 46236 Bottrop"),
    ("Hofladen Kirchhellen eG", "Gründung", "Hauptstraße 71, 46244 Bottrop"),
    ("Repair-Café Bottrop", "Gründung", "Paßstraße 2, 46236 Bottrop"),
    ("Solarzwerge GmbH", "Gründung", "Zeppelinstraße 9, 46236 Bottrop"),
    ("Zukunftswerkstatt Welheim", "Sonstige", "Gungstraße 40, 46238 Bottrop"),
    ("Kreishandwerkerschaft Emscher-Lippe-West", "Sonstige", "Peterstraße 40, 46236 Bottrop"),
    ("IHK Nord Westfalen, Zweigstelle Bottrop", "Sonstige", "Am Lamperfeld 2, 46236 Bottrop"),
    ("Quartiersmanagement Innenstadt", "Verwaltung", "Hochstraße 6, 46236 Bottrop"),
]

FIRST_NAMES = [
    "Andrea", "Bernd", "Claudia", "Dirk", "Elke", "Frank", "Gabriele", "Heinz", "Ingrid", "Jürgen",
    "Katrin", "Lars", "Monika", "Norbert", "Olga", "Peter", "Renate", "Stefan", "Tanja", "Uwe",
    "Vera", "Wolfgang", "Yasemin", "Zeynep", "Markus", "Sabine", "Thomas", "Nicole", "Michael",
    "Susanne", "Ahmet", "Birgit", "Christian", "Doris", "Emre", "Fatma", "Georg", "Heike", "Ilse",
    "Jan", "Karin", "Lukas", "Marie", "Nils", "Petra", "Ralf", "Silke", "Tim", "Ute", "Volker",
]
LAST_NAMES = [
    "Hövelmann", "Szymanski", "Kowalczyk", "Brinkmann", "Terhorst", "Wiesmann", "Lohmann",
    "Oberhoff", "Ludwig", "Kempken", "Hagedorn", "Pütz", "Sander", "Schulte", "Nowak", "Dreier",
    "Wagner", "Yilmaz", "Becker", "Schneider", "Krüger", "Hoffmann", "Kaya", "Fischer", "Weber",
    "Kuhlmann", "Bergmann", "Althoff", "Böckmann", "Demir", "Engels", "Frerich", "Göbel",
    "Hülsmann", "Janssen", "Kleine", "Lammert", "Mertens", "Niehues", "Ostendorf", "Plaßmann",
    "Rademacher", "Schürmann", "Tenbrink", "Uhlenbrock", "Voss", "Wellmann", "Zimmermann",
    "Öztürk", "Reimann",
]
FUNCTIONS = ["Inhaber/in", "Geschäftsführung", "Leitung Vertrieb", "Meister/in", "Gründer/in",
             "Projektleitung", "Referent/in", "Prokurist/in"]

GROUPS = [
    {
        "name": "Kooperative und digitale Produktionsformen im Handwerk",
        "short_name": "Handwerk digital",
        "join_policy": "moderated",
        "description": (
            "Handwerksbetriebe erproben gemeinsam digitale Werkzeuge und Kooperationsformen: "
            "gemeinsame Auftragsannahme, Materialbörsen, Fachkräftegewinnung.\n\n"
            "Begleitet vom **Institut Arbeit und Technik**."
        ),
        "goals": [
            ("Gemeinsame Online-Auftragsannahme für Bottroper Betriebe", "reached"),
            ("Materialbörse für Reststoffe aufbauen", "in_progress"),
            ("Ausbildungsverbund mit drei Betrieben starten", "open"),
        ],
    },
    {
        "name": "Handel der Zukunft",
        "short_name": "Handel",
        "join_policy": "moderated",
        "description": (
            "Der Innenstadthandel entwickelt Antworten auf den Onlinehandel. Aus diesem Reallabor "
            "ist das Stadtlogistik-Projekt **Louise** hervorgegangen: eine Software, mit der lokale "
            "Geschäfte wie ein Versandhandel verkaufen können."
        ),
        "goals": [
            ("Stadtlogistik-Projekt „Louise“ in den Regelbetrieb bringen", "in_progress"),
            ("Gemeinsamer Online-Schaufensterauftritt der Innenstadt", "reached"),
            ("Lieferung am selben Tag per Lastenrad", "open"),
        ],
    },
    {
        "name": "Nachhaltige Unternehmensgründungen",
        "short_name": "Gründungen",
        "join_policy": "open",
        "description": (
            "Gründerinnen und Gründer mit nachhaltigen Geschäftsideen tauschen sich aus und finden "
            "Partner in der Allianz. Begleitet von **Faktor 10**."
        ),
        "goals": [
            ("Gründungsstammtisch viermal im Jahr", "reached"),
            ("Leerstandsflächen für Pop-up-Gründungen vermitteln", "in_progress"),
        ],
    },
]

PLENARY_TOPICS = [
    "Auftakt der Wirtschaftsallianz mit dem Oberbürgermeister",
    "Themenfindung: Wo drückt der Schuh?",
    "Gründung der drei Reallabore",
    "Zwischenbilanz der Reallabore",
    "Digitalisierung im Mittelstand",
    "Stadtlogistik und Projekt Louise",
    "Bilanz der Projektphase und Ausblick",
]
