"""Name pools of the populations a Belgian registry of foreign workers holds, with their habits.

Each pool lists common names first (drawn Zipf-like, so the first few dominate) and a syllable
recipe that makes the long tail of rare names. Ukrainian and Russian names are in the Latin form
of their passports (ICAO transliteration); Vietnamese names carry the middle name (Van, Thi).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Population:
    code: str  # country of birth and nationality
    share: float  # of the registry
    surnames: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    places: tuple[str, ...]
    stems: tuple[str, ...]  # rare surnames: stem + ending
    endings: tuple[str, ...]
    female_endings: dict[str, str] | None = None  # Kowalski -> Kowalska, Ivanov -> Ivanova
    given_count: tuple[float, float, float] = (0.55, 0.35, 0.10)  # one, two, three given names
    middle: tuple[str, str] | None = None  # Vietnamese middle names (male, female)
    national_register: float = 0.2  # share with an NR number (residents), the rest BIS
    document: str = "passport"


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


POLISH_F = {"ski": "ska", "cki": "cka", "dzki": "dzka"}
SLAVIC_F = {"ov": "ova", "ev": "eva", "in": "ina", "ski": "ska"}

POPULATIONS: tuple[Population, ...] = (
    Population(
        "BE",
        0.34,
        _split(
            "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters "
            "De_Smet Dubois Lambert Dupont Martin Vermeulen Van_Damme De_Clercq "
            "Hermans Michiels Desmet Lemaire Leroy Renard Simon Van_den_Broeck "
            "Vandenberghe De_Backer Verstraete Smets Pauwels Coppens Declercq"
        ),
        _split(
            "Jan Luc Marc Peter Koen Tom Wim Lucas Noah Arthur Louis Jules Mathis Bart Dirk "
            "Jean Pierre Philippe Michel Nicolas Thomas Olivier Stijn Pieter Maxime"
        ),
        _split(
            "Marie Anne Sofie Emma Olivia Louise Elise Julie Laura Nathalie Isabelle Els An "
            "Katrien Lotte Charlotte Camille Chloe Lea Nina Sarah Ines Hanne Mila Lien"
        ),
        _split(
            "Antwerpen Gent Brugge Leuven Mechelen Hasselt Brussel Liège Namur Charleroi "
            "Mons Tournai Kortrijk Aalst Genk Oostende Wavre Arlon Verviers Sint-Niklaas"
        ),
        _split("Van_der_Ve Vande_Wal De_Wil Ver_Haegh Van_Ack Van_Ho Cor Bos Ma Ro Dela Hen"),
        _split("ghe elde ert ens beke hout mans eren ier aert ey oy"),
        given_count=(0.35, 0.45, 0.20),
        national_register=1.0,
        document="identity_card",
    ),
    Population(
        "PL",
        0.08,
        _split(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski "
            "Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur "
            "Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski"
        ),
        _split(
            "Piotr Krzysztof Andrzej Tomasz Paweł Marcin Michał Łukasz Jakub Grzegorz Adam "
            "Mateusz Wojciech Dariusz Rafał Bartłomiej Kamil Jan Szymon Sebastian"
        ),
        _split(
            "Anna Katarzyna Maria Małgorzata Agnieszka Barbara Ewa Magdalena Joanna "
            "Aleksandra Monika Zofia Natalia Karolina Marta Beata Dorota Justyna Paulina"
        ),
        _split(
            "Warszawa Kraków Łódź Wrocław Poznań Gdańsk Szczecin Bydgoszcz Lublin Białystok "
            "Katowice Rzeszów Opole Kielce Olsztyn Tarnów Radom Płock"
        ),
        _split("Brzez Cieśl Dud Gór Jasz Kacz Klimk Kup Les Mal Mich Ostr Pietr Sob Wal Zaj"),
        _split("ski cki dzki czyk ak ek ewicz owicz"),
        female_endings=POLISH_F,
        given_count=(0.6, 0.38, 0.02),
    ),
    Population(
        "RO",
        0.08,
        _split(
            "Popescu Popa Pop Radu Ionescu Dumitru Stan Stoica Gheorghe Matei "
            "Ciobanu Rusu Munteanu Constantin Marin Florea Lungu Dinu Tudor "
            "Moldovan"
        ),
        _split(
            "Andrei Alexandru Ion Mihai Gheorghe Constantin Vasile Florin Ionuț Bogdan "
            "Cristian Adrian Daniel Marius Ștefan Gabriel Nicolae Dumitru Cosmin Razvan"
        ),
        _split(
            "Maria Elena Ioana Andreea Ana Mihaela Alexandra Cristina Gabriela Daniela "
            "Georgiana Alina Florentina Nicoleta Ramona Simona Roxana Diana Larisa Oana"
        ),
        _split(
            "București Cluj-Napoca Iași Timișoara Constanța Craiova Brașov Galați Ploiești "
            "Oradea Brăila Arad Pitești Sibiu Bacău Suceava Botoșani Vaslui"
        ),
        _split("Barb Cojoc Dobr Gavril Lazăr Manol Negr Olt Păun Sârb Tănas Vlăd Zăvoi"),
        _split("escu eanu aru an iuc ache oiu"),
        given_count=(0.5, 0.45, 0.05),
    ),
    Population(
        "BG",
        0.04,
        _split(
            "Ivanov Georgiev Dimitrov Petrov Nikolov Hristov Stoyanov Todorov "
            "Iliev Vasilev Atanasov Petkov Angelov Kolev Yordanov Marinov"
        ),
        _split("Georgi Ivan Dimitar Nikolay Petar Hristo Stefan Todor Aleksandar Martin Yordan"),
        _split("Maria Ivanka Elena Yordanka Petya Desislava Gergana Teodora Nikol Viktoria"),
        _split("Sofia Plovdiv Varna Burgas Ruse Stara_Zagora Pleven Sliven Dobrich Shumen"),
        _split("Bozh Dragn Kanch Mladen Pench Rus Slav Tsvetk Zhel Stoil"),
        _split("ov ev in"),
        female_endings=SLAVIC_F,
        given_count=(0.97, 0.03, 0.0),
    ),
    Population(
        "PT",
        0.04,
        _split(
            "Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Martins "
            "Jesus Sousa Fernandes Gonçalves Gomes Lopes Marques Alves Almeida "
            "Ribeiro Pinto Carvalho"
        ),
        _split("João José António Francisco Manuel Pedro Rui Tiago Miguel Luís Carlos Paulo"),
        _split("Maria Ana Joana Inês Beatriz Mariana Sofia Catarina Rita Sara Marta Filipa"),
        _split("Lisboa Porto Braga Coimbra Funchal Setúbal Aveiro Viseu Leiria Faro Guarda"),
        _split("Azev Barr Cab Fig Mach Mour Nun Queir Tav Vasconc"),
        _split("edo eiro al es ado"),
        given_count=(0.2, 0.7, 0.1),
    ),
    Population(
        "TR",
        0.04,
        _split(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir "
            "Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek"
        ),
        _split("Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Emre"),
        _split("Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hülya Esra"),
        _split(
            "İstanbul Ankara İzmir Bursa Antalya Konya Kayseri Gaziantep Emirdağ Afyon "
            "Sivas Trabzon Samsun Eskişehir"
        ),
        _split("Akba Bayr Cand Erdo Güne Karaka Sarıo Topra Uzu Yaze"),
        _split("oğlu er can soy kaya"),
        given_count=(0.8, 0.2, 0.0),
    ),
    Population(
        "MA",
        0.05,
        _split(
            "El_Amrani Benali Alaoui El_Idrissi Bennani Tazi Amrani Chaoui "
            "El_Fassi Berrada Haddad Ouali Bouazza El_Mansouri Ait_Ali Ziani"
        ),
        _split("Mohamed Ahmed Youssef Said Rachid Mustapha Karim Hassan Abdelkader Omar Khalid"),
        _split("Fatima Khadija Aicha Naima Malika Samira Nadia Latifa Amina Zineb Salma Hafsa"),
        _split("Casablanca Rabat Tanger Fès Marrakech Oujda Nador Al_Hoceima Tétouan Agadir"),
        _split("Ben Bou El_Ha Ait_Ou Lah Mah Seb Tou"),
        _split("jiri dali ouche mani sini ssi"),
        given_count=(0.85, 0.15, 0.0),
        national_register=0.4,
    ),
    Population(
        "UA",
        0.04,
        _split(
            "Melnyk Shevchenko Kovalenko Bondarenko Boiko Tkachenko Kravchenko "
            "Kovalchuk Koval Oliinyk Shevchuk Polishchuk Ivanov Petrenko "
            "Savchenko Rudenko Lysenko Marchenko Moroz Kuzmenko"
        ),
        _split("Oleksandr Serhii Andrii Volodymyr Dmytro Mykola Ivan Vasyl Yurii Oleh Maksym"),
        _split("Olena Tetiana Nataliia Iryna Svitlana Oksana Yuliia Anna Mariia Kateryna Olha"),
        _split("Kyiv Kharkiv Odesa Dnipro Lviv Zaporizhzhia Vinnytsia Ternopil Lutsk Rivne"),
        _split("Bilo Hnat Dzhur Zhyt Kost Levch Ostap Pryt Sydor Tymch"),
        _split("enko chuk iuk yshyn ovych"),
        given_count=(1.0, 0.0, 0.0),
    ),
    Population(
        "RU",
        0.02,
        _split(
            "Ivanov Smirnov Kuznetsov Popov Vasilev Petrov Sokolov Mikhailov "
            "Novikov Fedorov Morozov Volkov Alekseev Lebedev Semenov Egorov"
        ),
        _split("Aleksandr Sergei Dmitrii Andrei Aleksei Maksim Evgenii Ivan Mikhail Artem"),
        _split("Elena Olga Natalia Ekaterina Anna Tatiana Mariia Irina Iuliia Svetlana"),
        _split("Moskva Sankt-Peterburg Novosibirsk Ekaterinburg Kazan Samara Omsk Rostov"),
        _split("Bel Gor Kras Orl Zakhar Tikhon Shchukin Zhuk"),
        _split("ov ev in"),
        female_endings=SLAVIC_F,
        given_count=(1.0, 0.0, 0.0),
    ),
    Population(
        "VN",
        0.02,
        _split("Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly"),
        _split("Minh Hung Duc Tuan Anh Quang Long Nam Thanh Hai Son Dung Phuc Khanh"),
        _split("Lan Huong Linh Mai Hoa Thu Trang Ngoc Hanh Phuong Thao Yen Nhung Hien"),
        _split("Ha_Noi Ho_Chi_Minh Hai_Phong Da_Nang Can_Tho Hue Nam_Dinh Vinh Thai_Binh"),
        _split("Khuc Lam Mac Quach Ta Trinh"),
        _split("_"),
        given_count=(1.0, 0.0, 0.0),
        middle=("Van", "Thi"),
    ),
    Population(
        "IT",
        0.03,
        _split(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino "
            "Greco Bruno Gallo Conti De_Luca Costa Giordano Mancini Rizzo"
        ),
        _split("Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Marco"),
        _split("Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Francesca"),
        _split("Roma Milano Napoli Torino Palermo Bari Catania Agrigento Caltanissetta Enna"),
        _split("Barb Cal Fior Lomb Pell Sant Vitt"),
        _split("ello ini etti one ucci"),
        given_count=(0.7, 0.3, 0.0),
        national_register=0.7,
    ),
    Population(
        "ES",
        0.02,
        _split(
            "García Fernández González Rodríguez López Martínez Sánchez Pérez "
            "Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Álvarez"
        ),
        _split("Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro"),
        _split("María Carmen Ana Isabel Laura Cristina Marta Lucía Elena Pilar Raquel Sara"),
        _split("Madrid Barcelona Valencia Sevilla Zaragoza Málaga Murcia Bilbao Alicante"),
        _split("Alc Bern Cast Dom Esc Gut Nav Quint Vel"),
        _split("ez az oz"),
        given_count=(0.6, 0.4, 0.0),
        national_register=0.6,
    ),
)
