/**
 * Name and street lists for synthetic persons. Common Swedish and Danish names, deliberately rich in
 * å/ä/ö/æ/ø/é so that search, sorting and encoding are exercised. Not weighted by real frequency.
 */

export const SWEDISH_MALE_GIVEN = [
  'Erik', 'Lars', 'Karl', 'Anders', 'Johan', 'Per', 'Nils', 'Mikael', 'Jan', 'Hans',
  'Björn', 'Göran', 'Håkan', 'Gösta', 'Åke', 'Örjan', 'Sören', 'Jöns', 'Måns', 'Pär',
  'Stig', 'Sven', 'Olof', 'Gunnar', 'Bengt', 'Ulf', 'Magnus', 'Fredrik', 'Oskar', 'Axel',
  'Elias', 'Hugo', 'Liam', 'Noah', 'William', 'Ludvig', 'Vilgot', 'Sixten', 'Algot', 'Matteo',
  'Jöran', 'Kjell', 'Tord', 'Yngve', 'Ragnar', 'Torbjörn', 'Östen', 'Helmer', 'Börje', 'André',
] as const;

export const SWEDISH_FEMALE_GIVEN = [
  'Anna', 'Eva', 'Maria', 'Karin', 'Kristina', 'Lena', 'Kerstin', 'Ingrid', 'Margareta', 'Birgitta',
  'Åsa', 'Märta', 'Ingegärd', 'Görel', 'Gunnel', 'Solveig', 'Maj-Britt', 'Siv', 'Britt-Marie', 'Ann-Sofie',
  'Linnéa', 'Elsa', 'Astrid', 'Maja', 'Ebba', 'Alva', 'Selma', 'Saga', 'Wilma', 'Tuva',
  'Ylva', 'Agneta', 'Inger', 'Ulla', 'Birgit', 'Gunilla', 'Malin', 'Sofia', 'Frida', 'Emma',
  'Hedvig', 'Ronja', 'Tilda', 'Elin', 'Stina', 'Inga-Lill', 'Lovisa', 'Irén', 'Signe', 'Dagny',
] as const;

export const SWEDISH_FAMILY = [
  'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson',
  'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Jönsson', 'Lindberg', 'Jakobsson', 'Magnusson', 'Lindström',
  'Östlund', 'Åberg', 'Ågren', 'Öberg', 'Ström', 'Sjöberg', 'Sjöström', 'Björk', 'Bäckström', 'Söderberg',
  'Nordström', 'Lundqvist', 'Löfgren', 'Hägglund', 'Åkesson', 'Fröberg', 'Törnqvist', 'Högberg', 'Lövgren', 'Engström',
  'Berglund', 'Ekström', 'Forsberg', 'Sandberg', 'Holmgren', 'Wallin', 'Dahlström', 'Strömberg', 'Nyström', 'Källström',
  'Ödmark', 'Ärlemalm', 'Rönnqvist', 'Sköld', 'Blomqvist', 'Hellström', 'Björklund', 'Wikström', 'Näslund', 'Fälldin',
] as const;

export const DANISH_MALE_GIVEN = [
  'Jens', 'Peter', 'Lars', 'Michael', 'Henrik', 'Søren', 'Thomas', 'Jan', 'Niels', 'Morten',
  'Jørgen', 'Bjørn', 'Ove', 'Poul', 'Preben', 'Bent', 'Knud', 'Aage', 'Børge', 'Mogens',
  'Rasmus', 'Mads', 'Anders', 'Frederik', 'Christian', 'Mikkel', 'Emil', 'Magnus', 'William', 'Oscar',
  'Asger', 'Esben', 'Kåre', 'Jørn', 'Ulrik', 'Thorbjørn', 'Ejnar', 'Holger', 'Valdemar', 'Carl',
  'Noah', 'Alfred', 'Aksel', 'Malthe', 'Villads', 'Storm', 'Bo', 'Finn', 'Flemming', 'René',
] as const;

export const DANISH_FEMALE_GIVEN = [
  'Anne', 'Kirsten', 'Mette', 'Hanne', 'Susanne', 'Lene', 'Maria', 'Marianne', 'Inge', 'Karen',
  'Birthe', 'Bente', 'Jytte', 'Grethe', 'Åse', 'Øllegaard', 'Søs', 'Dorthe', 'Tove', 'Lisbeth',
  'Sofie', 'Ida', 'Freja', 'Emma', 'Clara', 'Alma', 'Agnes', 'Ella', 'Karla', 'Olivia',
  'Signe', 'Sørine', 'Bodil', 'Gudrun', 'Ragnhild', 'Asta', 'Dagmar', 'Mathilde', 'Josefine', 'Frida',
  'Malene', 'Pernille', 'Trine', 'Rikke', 'Tine', 'Helle', 'Vibeke', 'Benedikte', 'Renée', 'Gry',
] as const;

/** Danish mellemnavne (CPR MELNVN): often a second family-type name. */
export const DANISH_MIDDLE = [
  'Møller', 'Juul', 'Krogh', 'Bøgh', 'Lykke', 'Skov', 'Dam', 'Holm', 'Kjær', 'Bach',
  'Vestergaard', 'Østergaard', 'Søgaard', 'Nørgaard', 'Brøndum', 'Fjord', 'Lund', 'Bech', 'Kirk', 'Hviid',
] as const;

export const DANISH_FAMILY = [
  'Jensen', 'Nielsen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen',
  'Petersen', 'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen',
  'Knudsen', 'Jakobsen', 'Mikkelsen', 'Frederiksen', 'Laursen', 'Henriksen', 'Lund', 'Schmidt', 'Eriksen', 'Holm',
  'Kristiansen', 'Clausen', 'Simonsen', 'Svendsen', 'Andreasen', 'Iversen', 'Østergaard', 'Jeppesen', 'Vestergaard', 'Nissen',
  'Søndergaard', 'Nørgaard', 'Bøgh', 'Kjærgaard', 'Æbeltoft', 'Ølgaard', 'Brønnum', 'Dahl', 'Skovgaard', 'Frølund',
  'Bækgaard', 'Sønderby', 'Løkke', 'Højer', 'Krøyer', 'Ravn', 'Bjørnholm', 'Damgaard', 'Fog', 'Lykkegaard',
] as const;

/** Names of foreign-born residents (citizenship other than the register's country). */
export const FOREIGN_PERSONS: ReadonlyArray<{ citizenship: string; male: readonly string[]; female: readonly string[]; family: readonly string[] }> = [
  { citizenship: 'FI', male: ['Jukka', 'Mikko', 'Väinö'], female: ['Päivi', 'Aino', 'Sirkka'], family: ['Mäkinen', 'Virtanen', 'Hämäläinen', 'Järvinen'] },
  { citizenship: 'NO', male: ['Ole', 'Håvard', 'Øyvind'], female: ['Ingrid', 'Solveig', 'Kari'], family: ['Haugen', 'Bakken', 'Løvås', 'Dæhlie'] },
  { citizenship: 'PL', male: ['Łukasz', 'Piotr', 'Michał'], female: ['Agnieszka', 'Małgorzata', 'Zofia'], family: ['Kowalski', 'Wiśniewski', 'Wójcik', 'Nowak'] },
  { citizenship: 'DE', male: ['Jürgen', 'Matthias', 'Lukas'], female: ['Ursula', 'Anneliese', 'Käthe'], family: ['Müller', 'Schröder', 'Weiß', 'Groß'] },
  { citizenship: 'IS', male: ['Sigurður', 'Þórður', 'Gunnar'], female: ['Guðrún', 'Sigríður', 'Þóra'], family: ['Jónsdóttir', 'Sigurðsson', 'Guðmundsson', 'Ólafsdóttir'] },
  { citizenship: 'TR', male: ['Mehmet', 'Ömer', 'Çağan'], female: ['Ayşe', 'Gülşen', 'Şule'], family: ['Yılmaz', 'Öztürk', 'Çelik', 'Şahin'] },
  { citizenship: 'SY', male: ['Ahmad', 'Omar', 'Yusuf'], female: ['Fatima', 'Layla', 'Rana'], family: ['Al-Hassan', 'Haddad', 'Khalil', 'Saleh'] },
  { citizenship: 'FR', male: ['Hervé', 'Jérôme', 'François'], female: ['Chloé', 'Hélène', 'Mélanie'], family: ['Lefèvre', 'Girard', 'Bérubé', 'Dubois'] },
];

export const SWEDISH_STREETS = [
  'Storgatan', 'Drottninggatan', 'Kungsgatan', 'Vasagatan', 'Sveavägen', 'Götgatan', 'Ringvägen', 'Skolgatan', 'Kyrkogatan', 'Hamngatan',
  'Björkvägen', 'Ekvägen', 'Lindvägen', 'Tallvägen', 'Granvägen', 'Åsgatan', 'Ängsvägen', 'Östra Långgatan', 'Västra Hamngatan', 'Södra vägen',
  'Norra Allén', 'Järnvägsgatan', 'Nygatan', 'Parkvägen', 'Solvägen', 'Sjövägen', 'Älvgatan', 'Fältvägen', 'Torggatan', 'Bäckvägen',
  'Rönnvägen', 'Lönnvägen', 'Smedjegatan', 'Stationsgatan', 'Trädgårdsgatan', 'Prästgårdsvägen', 'Kvarnvägen', 'Skogsbrynet', 'Ödegårdsvägen', 'Hökarvägen',
] as const;

export const DANISH_STREETS = [
  'Nørregade', 'Vestergade', 'Østergade', 'Søndergade', 'Algade', 'Jernbanegade', 'Kongensgade', 'Bredgade', 'Skovvej', 'Engvej',
  'Møllevej', 'Kirkevej', 'Birkevej', 'Egevej', 'Bøgevej', 'Ahornvej', 'Højvangen', 'Åboulevarden', 'Ærøvej', 'Ølandsgade',
  'Sølvgade', 'Fælledvej', 'Blegdamsvej', 'Nørrebrogade', 'Amagerbrogade', 'Vesterbrogade', 'Østerbrogade', 'Strandvejen', 'Søndre Ringvej', 'Åvej',
  'Kløvervej', 'Rønnebærvej', 'Tværgade', 'Fiskergade', 'Smedegade', 'Præstevænget', 'Lærkevej', 'Bøgeskovvej', 'Damhusvej', 'Hørsholmvej',
] as const;
