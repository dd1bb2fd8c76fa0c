"""Name material for the synthetic population of the demo municipality.

The lists hold common given names and surnames of the groups that make up the Dutch
population (CBS, "bevolking naar herkomst"): Dutch and Flemish names with their prefixes
(*tussenvoegsels*) and diacritics, and names of Turkish, Moroccan, Surinamese, Antillean,
Moluccan, Polish, German, Mediterranean, Syrian, Eritrean, Indian, Chinese and Ukrainian
origin. A person is a random combination of a given name and a surname, so no real person
is described: the names are common, the combinations and the municipality are invented.

The variety is deliberate. Buurtkracht has to match a misspelt "Yılmaz" to "Yilmaz", sort
"van der Berg" under B and show "Jansen-de Vries" whole; demo data with only "Jan Jansen"
would hide exactly the cases that break.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Marks a given name whose initial is written with two letters in Dutch records
# (Theodorus -> Th., IJsbrand -> IJ.); core.validators.normalise_initials accepts these.
_TWO_LETTER_INITIALS = {
    "Theodorus": "Th",
    "Theodora": "Th",
    "Thijs": "Th",
    "Christiaan": "Ch",
    "Christina": "Ch",
    "Philippus": "Ph",
    "IJsbrand": "IJ",
    "IJke": "IJ",
}


@dataclass(frozen=True, slots=True)
class Surname:
    """A surname split the Dutch way: `van der` + `Meer`, so that it sorts under M."""

    prefix: str
    name: str

    @property
    def full(self) -> str:
        return f"{self.prefix} {self.name}" if self.prefix else self.name


def parse_surname(value: str) -> Surname:
    """Split leading lowercase words (`van den`, `in 't`, `da`) off as the prefix.

    "El Amrani" and "Tjon A Fong" keep their capitalised first word: those are part of the
    surname, not a Dutch prefix.
    """
    words = value.split(" ")
    index = 0
    while index < len(words) - 1 and (words[index][0].islower() or words[index][0] == "'"):
        index += 1
    return Surname(" ".join(words[:index]), " ".join(words[index:]))


@dataclass(frozen=True, slots=True)
class Origin:
    """Names of one group of the population and how that group's names behave."""

    key: str
    weight: float  # share of the population, roughly after CBS
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[Surname, ...]
    max_given_names: int = 2
    # How often a married woman of this group uses her partner's name, relative to
    # Dutch practice (Polish and Ukrainian wives mostly take the husband's name).
    partner_name_factor: float = 0.5
    # Polish surnames change with sex: Kowalski for him, Kowalska for her.
    gendered: bool = False


def _names(values: str) -> tuple[str, ...]:
    """The lists below are comma-separated text, so that one line holds many names."""
    return tuple(value.strip() for value in values.split(",") if value.strip())


def _surnames(values: str) -> tuple[Surname, ...]:
    return tuple(parse_surname(value) for value in _names(values))


# Dutch given names by generation: the name a child gets follows the fashion of its year.
DUTCH_MALE_OLD = _names(
    "Johannes, Cornelis, Hendrik, Gerrit, Willem, Jacobus, Pieter, Antonius, Theodorus, Wilhelmus, "
    "Adrianus, Gerardus, Franciscus, Petrus, Jan, Kees, Henk, Klaas, Dirk, Hendrikus, Albert, "
    "Marinus, Arie, Bernardus, Martinus, Philippus, IJsbrand, Leendert, Teunis, Evert, Gijsbert, "
    "Noël, René"
)
DUTCH_MALE_MIDDLE = _names(
    "Mark, Peter, Erik, Martijn, Jeroen, Dennis, Michiel, Bas, Rob, Sander, Niels, Joost, Arjan, "
    "Ruud, Marco, Wouter, Remco, Daniël, Raphaël, Paul, Frank, Richard, Edwin, Patrick, Vincent, "
    "Maarten, Jasper, Christiaan, Thomas, Robbert, Stefan, Joris, Bart, Koen, Michaël"
)
DUTCH_MALE_YOUNG = _names(
    "Daan, Sem, Lucas, Noah, Levi, Finn, Milan, Jesse, Luuk, Bram, Thijs, Ruben, Lars, Stijn, Tim, "
    "Sven, Noël, Mees, Teun, Gijs, Jayden, Siem, Liam, Julian, Hugo, Jens, Boaz, Joël, Olivier, "
    "Floris, Tijn, Dex"
)
DUTCH_FEMALE_OLD = _names(
    "Maria, Johanna, Cornelia, Hendrika, Wilhelmina, Geertruida, Anna, Elisabeth, Catharina, "
    "Adriana, Jacoba, Petronella, Theodora, Aaltje, Grietje, Hélène, Gerda, Riet, Truus, Annie, "
    "Tonny, Ria, Willy, Margaretha, Christina, Antje, IJke, Hermina, Aleida, Dina, Hillegonda"
)
DUTCH_FEMALE_MIDDLE = _names(
    "Linda, Sandra, Monique, Esther, Marieke, Annemieke, Ingrid, Miriam, Petra, Wendy, Kim, "
    "Judith, Saskia, Renée, Désirée, Chantal, Ilse, Mariëlle, Anouk, Daniëlle, Joëlle, Noëlle, "
    "Marloes, Femke, Karin, Nicole, Astrid, Anne-Marie, Inge, Bianca, Suzanne, Mireille, Hanneke"
)
DUTCH_FEMALE_YOUNG = _names(
    "Emma, Julia, Sophie, Tess, Zoë, Lotte, Sara, Eva, Anna, Fleur, Lisa, Noa, Nina, Chloë, Lieke, "
    "Femke, Isa, Maud, Fenna, Liv, Mila, Yara, Saar, Noor, Jasmijn, Anaïs, Sophië, Roos, Evi, "
    "Loïs, Nova, Elin"
)

DUTCH_SURNAMES = _surnames(
    "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer, "
    "de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, "
    "Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan, Vermeulen, "
    "van den Heuvel, van der Veen, van den Broek, de Bruijn, van der Heijden, Schouten, van Beek, "
    "Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal, "
    "Prins, Blom, Huisman, Peeters, de Jonge, Kuipers, van Veen, Post, Kuiper, Veenstra, Kramer, "
    "van den Brink, Scholten, van Wijk, Postma, Martens, Vink, de Ruiter, Timmermans, Groen, "
    "Gerritsen, Jonker, van Loon, Boer, van der Velde, Willemsen, Smeets, de Lange, de Vos, Bosch, "
    "van Dongen, Schipper, de Koning, van der Laan, Koning, van der Velden, Driessen, van Doorn, "
    "Hermans, Evers, van den Bosch, van der Meulen, Hofman, Bosman, Wolters, Sanders, "
    "van der Horst, Mol, Kuijpers, Molenaar, van de Pol, de Leeuw, Verbeek, ter Haar, ter Horst, "
    "'t Hart, in 't Veld, op den Kamp, van 't Hof, den Hartog, te Riele, van Ommen, Kerstiëns, "
    "Daniëls, Ariëns, Gabriëls, Michiëls, Israëls, Hoogeveen, Zwart, Wijnands, Vogel, Brink, "
    "Dijkman, Roelofs, Hoekman, van Rijn, van Es, van Schaik, de Bruin, Heemskerk, van der Zanden, "
    "Terpstra, Wouters, Claessens, Verschuren, uit den Bogaard"
)
GERMAN_SURNAMES = _surnames(
    "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Schäfer, "
    "Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger, "
    "Hartmann, Lange, Krause, Lehmann, von Bergen"
)
TURKISH_SURNAMES = _surnames(
    "Yılmaz, Yilmaz, Kaya, Demir, Şahin, Sahin, Çelik, Celik, Yıldız, Yildiz, Yıldırım, Öztürk, "
    "Ozturk, Aydın, Aydin, Özdemir, Arslan, Doğan, Dogan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, "
    "Özkan, Şimşek, Polat, Güler, Tekin, Akgül, Bulut, Gündüz, Aksoy, Ünal, Erdem, Karaca, Gülsen"
)
MOROCCAN_SURNAMES = _surnames(
    "El Amrani, El Idrissi, Bouzid, Benali, El Khatib, Bouali, El Ouardi, Aouragh, Boukhari, "
    "El Hamdaoui, Azzouzi, Amrani, Bakkali, Bouazza, Chaouch, El Bouzidi, Ait Hamou, Ben Ali, "
    "Tahiri, Ouchan, Hamdi, Achahbar, Ziani, El Haddouchi, Chaara, El Yousfi, Mokhtari, Zarrouk, "
    "Belhaj, Ouali"
)
SURINAMESE_SURNAMES = _surnames(
    "Ramdin, Ramsaran, Jagesar, Mahabier, Sewdien, Ramautar, Kalloe, Doerga, Autar, Biharie, "
    "Pinas, Vlijter, Tjon A Fong, Kromodihardjo, Sarmo, Eersel, Waterberg, Zaalman, Rozenblad, "
    "Doelwijt, Soekhoe, Bhagwandin, Karijo, Nijman, Sitaldin, Lachmon, Kartoredjo, Tjong A Hung"
)
ANTILLEAN_SURNAMES = _surnames(
    "Martina, Isenia, Rosaria, Felida, Cijntje, Leito, Janga, Winklaar, Koeiman, Richardson, "
    "Doran, Balentien, Engelhart, Pieternella, de Windt, Girigorie, Anthonia, Frans, Zimmerman, "
    "Sulvaran"
)
MOLUCCAN_SURNAMES = _surnames(
    "Tahapary, Latuheru, Pattipeilohy, Manuhutu, Wattimena, Sahetapy, Pattiasina, Lekatompessy, "
    "Tuhumury, Siahaya, Leiwakabessy, Nanlohy, Soselisa, Pelupessy"
)
POLISH_SURNAMES = _surnames(
    "Kowalski, Nowak, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński, Szymański, "
    "Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk, Piotrowski, "
    "Grabowski, Nowicki, Pawlak"
)
MEDITERRANEAN_SURNAMES = _surnames(
    "García, Fernández, Rodríguez, Martínez, Rossi, Esposito, Bianchi, Ferreira, dos Santos, "
    "Gonçalves, Dubois, Lefèvre, Moreau, da Silva, Romano, Lopes, Conti, Sánchez, Marchetti, "
    "Laurent, Ricci, Pereira, de Oliveira, Mercier"
)
SYRIAN_SURNAMES = _surnames(
    "Al-Hassan, Alhamoud, Haddad, Al Masri, Khalil, Ibrahim, Hamwi, Kassab, Shami, Najjar, "
    "Darwish, Halabi, Sabbagh, Al-Ahmad, Mansour, Saleh"
)
ERITREAN_SURNAMES = _surnames(
    "Tesfay, Gebremedhin, Berhane, Haile, Kidane, Tekle, Ghebreyesus, Mehari, Woldu, Habte, "
    "Asfaha, Yohannes"
)
INDIAN_SURNAMES = _surnames(
    "Patel, Sharma, Singh, Kumar, Reddy, Iyer, Nair, Gupta, Rao, Menon, Joshi, Desai, Chatterjee, "
    "Pillai"
)
CHINESE_SURNAMES = _surnames(
    "Chen, Wang, Li, Zhang, Liu, Huang, Lin, Wu, Zhou, Yang, Cheung, Lam, Wong, Tang"
)
UKRAINIAN_SURNAMES = _surnames(
    "Kovalenko, Shevchenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Boyko, Oliynyk, Lysenko, "
    "Moroz, Marchenko, Savchenko, Rudenko, Petrenko"
)

DUTCH = Origin(
    key="dutch",
    weight=0.745,
    male=DUTCH_MALE_MIDDLE,
    female=DUTCH_FEMALE_MIDDLE,
    surnames=DUTCH_SURNAMES,
    max_given_names=3,
    partner_name_factor=1.0,
)

ORIGINS: tuple[Origin, ...] = (
    DUTCH,
    Origin(
        key="german",
        weight=0.022,
        male=_names("Jürgen, Klaus, Uwe, Stefan, Tobias, Jörg, Matthias, Lukas, Felix"),
        female=_names("Ursula, Sabine, Petra, Jutta, Birgit, Anja, Katrin, Heike, Silke"),
        surnames=GERMAN_SURNAMES,
        partner_name_factor=0.9,
    ),
    Origin(
        key="turkish",
        weight=0.024,
        male=_names(
            "Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Emre, Burak, Yusuf, Murat, "
            "Kemal, Ömer, Efe, Mert, Kerem, Osman, Serkan"
        ),
        female=_names(
            "Fatma, Ayşe, Emine, Hatice, Zeynep, Elif, Gülsen, Özlem, Büşra, Merve, Esra, Sevgi, "
            "Derya, Hülya, Eda, Yasemin, Ecem, Nur"
        ),
        surnames=TURKISH_SURNAMES,
        partner_name_factor=0.4,
    ),
    Origin(
        key="moroccan",
        weight=0.024,
        male=_names(
            "Mohamed, Mohammed, Ahmed, Youssef, Karim, Rachid, Said, Mustapha, Abdelkader, Hamid, "
            "Bilal, Ayoub, Adam, Imran, Anas, Ilias, Zakaria, Soufiane, Hamza, Mourad"
        ),
        female=_names(
            "Fatima, Khadija, Naima, Malika, Samira, Latifa, Hanan, Soumaya, Nora, Yasmina, Salma, "
            "Ikram, Imane, Sara, Aya, Nour, Hiba, Fatiha, Houda, Loubna"
        ),
        surnames=MOROCCAN_SURNAMES,
        max_given_names=1,
        partner_name_factor=0.1,
    ),
    Origin(
        key="surinamese",
        weight=0.02,
        male=_names(
            "Ravi, Sandjai, Rajesh, Anil, Romano, Errol, Glenn, Rudi, Winston, Marciano, Ricardo, "
            "Sunil, Kishan, Wiljan, Dwight, Humphrey, Sergio"
        ),
        female=_names(
            "Shanti, Anita, Priya, Sharmila, Ingrid, Marlene, Gwendolyn, Sherida, Soraya, Rosita, "
            "Kavita, Esmeralda, Chantal, Jennifer, Kimberley, Shirley, Natasja"
        ),
        surnames=SURINAMESE_SURNAMES,
        partner_name_factor=0.6,
    ),
    Origin(
        key="antillean",
        weight=0.009,
        male=_names(
            "Jurick, Gregory, Rudsel, Quincy, Jeffrey, Ruthsel, Shurandy, Kenrick, Giovanni, "
            "Edsel, Jurandy, Churandy"
        ),
        female=_names(
            "Jacinta, Giselle, Sharon, Gisela, Nathaly, Jeannette, Ruthmilda, Yamaira, Sulaika, "
            "Shurenska, Dayenne, Naomi"
        ),
        surnames=ANTILLEAN_SURNAMES,
        partner_name_factor=0.6,
    ),
    Origin(
        key="moluccan",
        weight=0.006,
        # Moluccan families mostly carry Dutch Christian given names.
        male=_names("Johannes, Frederik, Josephus, Max, Ronald, Julius, Elias, Benny"),
        female=_names("Wilhelmina, Bertha, Jacoba, Esther, Nelly, Marlies, Ruth, Debora"),
        surnames=MOLUCCAN_SURNAMES,
        partner_name_factor=0.8,
    ),
    Origin(
        key="polish",
        weight=0.012,
        male=_names(
            "Piotr, Krzysztof, Tomasz, Paweł, Michał, Marcin, Łukasz, Jakub, Kamil, Mateusz, "
            "Grzegorz, Wojciech"
        ),
        female=_names(
            "Anna, Katarzyna, Agnieszka, Małgorzata, Joanna, Magdalena, Monika, Ewa, Aleksandra, "
            "Karolina, Żaneta, Justyna"
        ),
        surnames=POLISH_SURNAMES,
        partner_name_factor=1.8,
        gendered=True,
    ),
    Origin(
        key="mediterranean",
        weight=0.014,
        male=_names(
            "José, João, Antonio, Carlos, Manuel, Marco, Luca, François, Léon, Raúl, Matteo, "
            "Gonçalo, Andrés, Théo"
        ),
        female=_names(
            "Maria, Francesca, Giulia, Hélène, Léa, Chloé, Inês, Lucía, Sofía, Gaëlle, Beatriz, "
            "Margaux, Élise, Marta"
        ),
        surnames=MEDITERRANEAN_SURNAMES,
        partner_name_factor=0.5,
    ),
    Origin(
        key="syrian",
        weight=0.01,
        male=_names(
            "Mohammad, Ahmad, Omar, Khaled, Hussein, Yazan, Amir, Rami, Tarek, Samer, Majd, Fadi"
        ),
        female=_names("Rania, Lina, Reem, Hala, Dima, Yara, Nour, Layla, Ghada, Maya, Rasha, Joud"),
        surnames=SYRIAN_SURNAMES,
        max_given_names=1,
        partner_name_factor=0.1,
    ),
    Origin(
        key="eritrean",
        weight=0.004,
        male=_names("Yonas, Filmon, Mehari, Dawit, Samuel, Tesfalem, Merhawi, Robel"),
        female=_names("Senait, Helen, Selam, Saba, Yordanos, Winta, Freweyni, Luwam"),
        surnames=ERITREAN_SURNAMES,
        max_given_names=1,
        partner_name_factor=0.0,
    ),
    Origin(
        key="indian",
        weight=0.006,
        male=_names("Arjun, Rohan, Vikram, Rahul, Aditya, Karthik, Sanjay, Amit"),
        female=_names("Priya, Ananya, Sneha, Divya, Lakshmi, Pooja, Meera, Kavya"),
        surnames=INDIAN_SURNAMES,
        partner_name_factor=0.7,
    ),
    Origin(
        key="chinese",
        weight=0.005,
        male=_names("Wei, Jun, Hao, Ming, Jian, Kevin, Yang, Bo"),
        female=_names("Mei, Xiu, Xiaoling, Ying, Fang, Jing, Lan, Yan"),
        surnames=CHINESE_SURNAMES,
        partner_name_factor=0.1,
    ),
    Origin(
        key="ukrainian",
        weight=0.006,
        male=_names("Oleksandr, Andriy, Dmytro, Serhiy, Mykola, Yuriy, Taras, Bohdan"),
        female=_names("Olena, Iryna, Yuliia, Tetiana, Nataliia, Oksana, Kateryna, Sofiia"),
        surnames=UKRAINIAN_SURNAMES,
        partner_name_factor=1.6,
    ),
)
ORIGIN_WEIGHTS = tuple(origin.weight for origin in ORIGINS)
# Older residents are more often of Dutch origin: most migration is recent.
ELDERLY_ORIGIN_WEIGHTS = tuple(
    origin.weight * (1.0 if origin is DUTCH else 0.45) for origin in ORIGINS
)


def choose_origin(rng: random.Random, age: int) -> Origin:
    """A random origin, weighted by the population's make-up at that age."""
    weights = ELDERLY_ORIGIN_WEIGHTS if age >= 65 else ORIGIN_WEIGHTS
    return rng.choices(ORIGINS, weights=weights)[0]


def surname_for_sex(surname: Surname, origin: Origin, sex: str) -> Surname:
    """Kowalski for a man, Kowalska for a woman; other surnames do not change."""
    if origin.gendered and sex == "f" and surname.name.endswith("ki"):
        return Surname(surname.prefix, surname.name[:-1] + "a")
    return surname


def _dutch_pool(sex: str, birth_year: int) -> tuple[str, ...]:
    if birth_year < 1965:
        return DUTCH_MALE_OLD if sex == "m" else DUTCH_FEMALE_OLD
    if birth_year < 1995:
        return DUTCH_MALE_MIDDLE if sex == "m" else DUTCH_FEMALE_MIDDLE
    return DUTCH_MALE_YOUNG if sex == "m" else DUTCH_FEMALE_YOUNG


def given_names(rng: random.Random, origin: Origin, sex: str, birth_year: int) -> list[str]:
    """One to three given names in the fashion of the person's origin and generation.

    Older Dutch people often have three (Johannes Hendrikus Maria: Catholic families gave
    boys Maria as a last name); younger people one or two.
    """
    if origin is DUTCH:
        pool = _dutch_pool(sex, birth_year)
        if birth_year < 1965:
            count = rng.choices((1, 2, 3), weights=(2, 5, 3))[0]
        elif birth_year < 1995:
            count = rng.choices((1, 2, 3), weights=(4, 5, 1))[0]
        else:
            count = rng.choices((1, 2), weights=(5, 5))[0]
    else:
        pool = origin.male if sex == "m" else origin.female
        count = rng.choices((1, 2), weights=(6, 4))[0] if origin.max_given_names > 1 else 1
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choice(pool)
        if name not in chosen:
            chosen.append(name)
    if origin is DUTCH and sex == "m" and birth_year < 1965 and rng.random() < 0.08:
        chosen.append("Maria")
    return chosen


def initials_for(names: list[str]) -> str:
    """`Johannes Theodorus` -> `J.Th.`: one initial per given name, the Dutch way."""
    return "".join(f"{_TWO_LETTER_INITIALS.get(name, name[0])}." for name in names)
