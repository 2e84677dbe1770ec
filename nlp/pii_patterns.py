"""Regular-expression recognisers for identifying details, and the word lists they rely on."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH_STOP_WORDS
from spacy.lang.pt.stop_words import STOP_WORDS as PORTUGUESE_STOP_WORDS

PERSON = "PERSON"
PHONE = "PHONE"
EMAIL = "EMAIL"
HANDLE = "HANDLE"
ADDRESS = "ADDRESS"
DOB = "DOB"
ID = "ID"

# Lower tiers win an overlap: specific patterns, then generic identifier shapes, then names
# found through a cue word, then names proposed by the statistical model or the name list.
TIER_SPECIFIC = 0
TIER_GENERIC = 1
TIER_CUE = 2
TIER_PERSON_NOUN = 3  # a name after a plain noun for a person ("the boy, Edwin"): checked as a guess
TIER_MODEL = 4


@dataclass(frozen=True)
class PatternMatch:
    """A candidate span found by a recogniser, before overlaps are resolved."""

    type: str
    start: int
    end: int
    tier: int


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'José' and 'jose' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _words(block: str) -> frozenset[str]:
    """Split a whitespace-separated word list into a set of folded words."""
    return frozenset(fold(word) for word in block.split())


# ---------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------

MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
    # Spanish
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5,
    "junio": 6, "julio": 7, "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "diciembre": 12, "dic": 12,
    # French (accents folded)
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "decembre": 12,
    # Portuguese (accents folded)
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "dezembro": 12,
}

# Month names of further languages (Indonesian, Haitian Creole, Tagalog, Polish, Romanian),
# read only inside a date that a birth cue announces: several are ordinary words elsewhere.
BIRTH_MONTHS = dict(MONTHS) | {
    "januari": 1, "februari": 2, "maret": 3, "mei": 5, "juni": 6, "juli": 7, "agustus": 8,
    "oktober": 10, "desember": 12, "agt": 8, "okt": 10, "des": 12,
    "janvye": 1, "fevriye": 2, "mas": 3, "avri": 4, "me": 5, "jen": 6, "jiye": 7, "out": 8,
    "septanm": 9, "oktob": 10, "novanm": 11, "desanm": 12,
    "pebrero": 2, "marso": 3, "hunyo": 6, "hulyo": 7, "setyembre": 9, "oktubre": 10,
    "nobyembre": 11, "disyembre": 12,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6,
    "lipca": 7, "sierpnia": 8, "wrzesnia": 9, "pazdziernika": 10, "listopada": 11, "grudnia": 12,
    "ianuarie": 1, "februarie": 2, "martie": 3, "aprilie": 4, "iunie": 6, "iulie": 7,
    "septembrie": 9, "octombrie": 10, "noiembrie": 11, "decembrie": 12,
}

WEEKDAYS = _words("""
monday tuesday wednesday thursday friday saturday sunday tues weds thurs
lunes martes miercoles jueves viernes sabado domingo
lundi mardi mercredi jeudi vendredi samedi dimanche
segunda terca quarta quinta sexta
""")

ROMANCE_STOP_WORDS = frozenset(
    fold(word) for word in (SPANISH_STOP_WORDS | FRENCH_STOP_WORDS | PORTUGUESE_STOP_WORDS)
)
STOP_WORDS = frozenset(fold(word) for word in ENGLISH_STOP_WORDS) | ROMANCE_STOP_WORDS

# Common given names (accents folded) across the languages of the narratives. Names that are
# also ordinary words, months or places (Will, June, Georgia) are left out on purpose.
GIVEN_NAMES = _words("""
aaron abdul abdullah abel abigail abraham adam adan adela adelina adolfo adrian adriana
agustin ahmed aida aisha alan alba alberto alejandra alejandro alex alexa alexander
alexandra alexis alfonso alfredo ali alice alicia alisha alma alonso alvaro amanda amber
amelia amina amir amy ana anabel andre andrea andres andrew angela angelica angie anita
ann anna anne antonia antonio araceli ariana arianna armando arnold arturo ashley
aurora axel barbara beatriz belen benito benjamin bernardo berta betty bianca blanca
brandon brayan brenda brian brittany bruno camila carla carlos carmen carol carolina
caroline catalina catherine cecilia cesar charles cheryl chloe christian christina
christine christopher cindy cinthia claire clara claudia cristian cristina cynthia daisy
dalia damian dana daniel daniela danielle danny dario david deborah delia denise diana
diego dolores dominic dora doris dulce eduardo efrain elena eli elias elizabeth ellen
elsa elvia elvira emanuel emilia emilio emily emma enrique eric erica erik erika
ernesto esmeralda esperanza esteban estela ester esther eva evelyn fabian fatima
federico felipe felix fernanda fernando fidel flor francisca francisco franklin gabriel
gabriela gerardo gilberto gisela gladys gloria gonzalo graciela gregorio
guadalupe guillermo gustavo hannah hector helen hilda hugo humberto ignacio ines irene
iris irma isaac isabel isabella isidro ismael ivan jacqueline jaime james jane
janet jasmine javier jazmin jennifer jenny jesica jessica jesus joanna joaquin joel
johanna john johnny jonathan jorge jose josefina joseph joshua juan juana julia julian
juliana julio karen karina karla katherine katia kelly kevin kimberly laura leonardo
leslie leticia liliana linda lisa lorena lorenzo lourdes lucas lucia luis luisa
lupita luz magdalena manuel marcela marco marcos margarita maria mariana maribel
marina mario marisol marta martha martin martina mateo matthew mauricio maximiliano
mayra melissa michael michelle miguel milagros miriam moises monica nadia
nancy natalia nathan nelson nicolas nicole noemi norma octavio olga omar oscar pablo
pamela patricia patricio paula paulina pedro petra priscila rafael raquel raul rebeca
rebecca reina rene ricardo roberto rocio rodolfo rodrigo rogelio rolando roman ramon
ramiro rosa rosalba rosalia rosario ruben ruth sabrina salvador samantha samuel sandra
santiago sara sarah sebastian sergio silvia sofia sonia stephanie susana tania teresa
thomas tomas valentina valeria vanessa veronica vicente victor viviana walter wendy
wilmer ximena yadira yesenia yolanda yuri zoila
joao jose maria antonio francisco carlos paulo pedro lucas luiz marcos luis gabriel
rafael daniel marcelo bruno eduardo felipe raimundo rodrigo manoel mateus andre
fernando fabio leonardo gustavo guilherme leandro tiago anderson ricardo marcio
jorge sebastiao alexandre roberto edson diego vitor sergio claudio joana mariana
adriana juliana marcia fernanda patricia aline sandra camila amanda bruna jessica
leticia julia luciana vanessa mariane gabriela conceicao raimunda francisca
jean pierre michel philippe alain nicolas christophe patrick rene jacques daniel
francois bernard eric laurent frederic thierry stephane pascal olivier sylvain
julien adrien damien fabien lucien sebastien romain
marie nathalie isabelle sylvie catherine martine christine francoise valerie
sandrine stephanie veronique sophie celine chantal nadine helene amelie fatou
aminata mamadou moussa ibrahim awa mariam adama oumar seydou
nguyen thi van minh anh linh huong thu hoa lan mai trang tuan hung duc
jun wei li ming hui yan ying xiao mei hong lin
kwame kofi ama abena yaw chinedu ngozi emeka oluwaseun adebayo
svetlana olena oksana natalia tetiana iryna yulia andriy oleksandr dmitri sergei
irina elena ion vasile gheorghe mihai andrei florin ioana mihaela
sione mele losa tevita
mike travis kenny tony tasha tyrone darnell deshawn jamal malik marcus andre anthony
kayla kendra brittany tiffany keisha tamika aaliyah destiny crystal precious blessing
faith grace joy mercy favour gift patience comfort diamond priya ravi raj sunita anita
manpreet amit deepak mohammed muhammad mohamed ahmad hassan hussein yusuf youssef
mustafa karim khadija siti chioma adaeze tunde femi kemi ifeoma byron elmer santos
thais stefan ion beto lupe chuy pancho paco
""")

# Frequent surnames; after a cue word they let a lower-case name run on ("carlos ramirez").
SURNAMES = _words("""
garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores
rivera gomez diaz reyes morales cruz ortiz gutierrez chavez ramos ruiz alvarez mendoza
vasquez vazquez castillo jimenez moreno romero herrera medina aguilar vargas guzman
mendez munoz salazar garza soto vega castro delgado ortega rojas silva santos
contreras dominguez estrada sandoval figueroa nunez campos espinoza cabrera
juarez navarro acosta guerrero rios luna fuentes cortez cardenas ibarra pena
sosa velasquez valdez molina leon marquez rosales avila maldonado ochoa pacheco
oliveira souza costa pereira almeida ferreira carvalho gomes martins araujo
ribeiro barbosa lima nascimento
smith johnson williams brown jones miller davis wilson anderson taylor thomas moore
martin thompson white harris clark lewis robinson walker young allen king wright
scott hill green adams baker nelson carter mitchell roberts turner phillips campbell
parker evans edwards collins stewart morris murphy cook rogers morgan peterson cooper
reed bailey bell kelly howard ward cox richardson wood watson brooks bennett gray
james hughes price sanders myers long ross foster
nguyen tran le pham hoang phan vu dang bui do ho ngo duong ly
dubois durand lefebvre moreau laurent simon michel leroy roux david bertrand
""")

# Words that start many sentences but are never names on their own.
ROLE_WORDS = _words("""
client clients clienta cliente survivor survivors victim victims sobreviviente victima
grandma grandpa granny grandmother grandfather mom mommy mother mum dad father
papa mama auntie aunt uncle sister brother cousin son daughter wife husband baby
abuela abuelo abuelita tia tio hermana hermano hija hijo esposa esposo
madre padre senora senor senorita don dona sra sr srta jefe jefa patron patrona
boss owner manager employer trafficker traffickers pimp recruiter smuggler coyote
officer detective agent judge juez jueza advocate caseworker interpreter attorney lawyer
counsel prosecutor defender pastor reverend doctor nurse teacher counselor therapist
landlord neighbor neighbour friend boyfriend girlfriend partner fiance fiancee
madame monsieur mademoiselle mme mlle senhor senhora dom seu
grandmere grandpere maman tante oncle avo avoa mae pai tia tio
staff intake hotline shelter team program office volunteer spokesperson relative
madam madanm maitre chief sister brother auntie aunty uncle ma pa big lil
mr mrs ms mx dr det sgt ofc lt capt rev lic ing prof dra sres
hi hello dear hola bonjour bonsoir ola oi estimado estimada estimados querida querido
cher chere caro cara prezado prezada thanks gracias merci obrigado obrigada saludos
atentamente cordialement atenciosamente regards sincerely best cheers
name nombre nom nome prenom apellido apellidos sobrenome edad age idade lang language
idioma langue telefono phone tel email correo adresse endereco direccion address dob
status situation situacion needs necesita besoins notes nota note subject asunto objet
nissan toyota honda ford chevrolet chevy dodge jeep hyundai kia bmw mercedes volkswagen
vw tesla subaru mazda buick cadillac gmc lexus acura infiniti chrysler lincoln audi volvo
mitsubishi suburban tahoe altima camry civic accord corolla silverado sienna odyssey
transit explorer escalade charger clio peugeot renault fiat
venmo zelle paypal whatsapp facebook instagram snapchat tiktok telegram signal twitter
onlyfans cashapp kakaotalk wechat viber messenger google gmail yahoo outlook uber
passport pasaporte passeport passaporte license licence licencia cedula carteira
documento documentos document documents permit permiso visto titre sejour
""")

# Acronyms and terms from law, agencies and benefits that the small English model tags as people.
LEGAL_AND_AGENCY_WORDS = _words("""
ice uscis cbp dhs doj dol fbi hsi da ada ausa usao hhs otip orr eoir bia ssa irs eeoc
whd osha nlrb hud tanf snap wic ssi ssdi dmv dcfs cps acs dcf ncmec nhtrc ovc ovw
usdol ead rfe noid nta tps daca vawa tvpa tvpra uscis ins inm dif sat ine curp
visa visas t-visa u-visa asylum parole petition certification status act law code
statute section title form order protection court tribunal juzgado fiscalia ministerio
medicaid medicare social security green card permit waiver vacatur expungement
restitution continued presence deferred action adjustment removal deportation
consulate embassy consulado embajada police policia sheriff marshal marshals
department county city state federal district superior municipal circuit family
juvenile immigration labor labour housing health services center centre
coalition project clinic network foundation legal aid bona fide
presencia continuada accion diferida asilo refugio residencia permanente ciudadania
proteccion orden corte juzgado ministerio publico procuraduria defensoria policia
migracion instituto nacional secretaria servicio servicios centro oficina comision
direccion general unidad gobierno estado delegacion sistema justicia trabajo conselho
tutelar delegacia receita superintendencia vara palais prefecture cour conseil parquet
procureur ministere aide sociale caisse emploi mairie securite tribunal administratif
fiscal fiscalia juez magistrado abogado abogada avocat avocate advogado advogada
human trafficking unit task force special victims works charities catholic revenu
regie sante lei ley loi audiencia provincial ponte puente pont hague supp jeune
republique republica speaks habla fala parle justica justicia trabalho convencao
convencion convention bolsa familia ingreso minimo vital banque banco caixa seguro
crimes victimas vitimas protecao comissao comision derechos direitos droits humanos
previdencia assistencia social programa beneficio prestacion allocation
stat stats ann laws pen crim proc civ
""")

US_STATES = {
    "alabama": "al", "alaska": "ak", "arizona": "az", "arkansas": "ar", "california": "ca",
    "colorado": "co", "connecticut": "ct", "delaware": "de", "florida": "fl", "georgia": "ga",
    "hawaii": "hi", "idaho": "id", "illinois": "il", "indiana": "in", "iowa": "ia",
    "kansas": "ks", "kentucky": "ky", "louisiana": "la", "maine": "me", "maryland": "md",
    "massachusetts": "ma", "michigan": "mi", "minnesota": "mn", "mississippi": "ms",
    "missouri": "mo", "montana": "mt", "nebraska": "ne", "nevada": "nv",
    "new hampshire": "nh", "new jersey": "nj", "new mexico": "nm", "new york": "ny",
    "north carolina": "nc", "north dakota": "nd", "ohio": "oh", "oklahoma": "ok",
    "oregon": "or", "pennsylvania": "pa", "rhode island": "ri", "south carolina": "sc",
    "south dakota": "sd", "tennessee": "tn", "texas": "tx", "utah": "ut", "vermont": "vt",
    "virginia": "va", "washington": "wa", "west virginia": "wv", "wisconsin": "wi",
    "wyoming": "wy", "district of columbia": "dc", "puerto rico": "pr", "guam": "gu",
}
STATE_ABBREVIATIONS = frozenset(US_STATES.values()) | _words("""
ala ariz ark calif colo conn del fla ill ind kan kans mass mich minn miss mont neb nev
okla ore penn tenn tex wash wis wisc wyo
""")

# Countries, regions and cities (English and the Spanish, French and Portuguese forms).
PLACE_NAMES = frozenset(US_STATES) | _words("""
afghanistan albania algeria angola argentina armenia australia austria bangladesh
belarus belgium belize benin bolivia bosnia brazil brasil bulgaria burma cambodia
cameroon canada chad chile china colombia congo cuba cyprus czechia denmark
ecuador egypt eritrea estonia ethiopia fiji finland france gabon gambia germany ghana
greece guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq
ireland israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait
kyrgyzstan laos latvia lebanon liberia libya lithuania macedonia madagascar malawi
malaysia mali mauritania mexico moldova mongolia montenegro morocco mozambique
myanmar namibia nepal netherlands nicaragua niger nigeria norway oman pakistan
panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
senegal serbia sierra singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey
turkmenistan uganda ukraine uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe
england scotland wales britain uk usa america europe africa asia caribbean
mexique espagne allemagne angleterre bresil haiti
espana alemania inglaterra francia italia japon eeuu ee.uu. eua
brasil alemanha inglaterra franca espanha
alberta ontario quebec manitoba saskatchewan yukon
chiapas oaxaca guerrero puebla veracruz michoacan jalisco sonora sinaloa chihuahua
coahuila durango zacatecas tamaulipas yucatan campeche tabasco hidalgo morelos
queretaro guanajuato nayarit colima aguascalientes tlaxcala cdmx
huehuetenango quetzaltenango totonicapan solola chimaltenango escuintla peten
izabal zacapa chiquimula jutiapa jalapa retalhuleu suchitepequez quiche
olancho yoro cortes choluteca comayagua copan lempira intibuca atlantida colon
usulutan sonsonate ahuachapan chalatenango morazan cabanas cuscatlan
antioquia cundinamarca valle cauca narino santander boyaca bolivar
houston dallas austin chicago phoenix philadelphia jacksonville
columbus charlotte indianapolis seattle denver boston detroit nashville memphis
portland vegas louisville baltimore milwaukee albuquerque tucson fresno sacramento
atlanta miami miami-dade oakland minneapolis tulsa tampa orlando cleveland newark buffalo
pittsburgh cincinnati raleigh omaha anchorage honolulu bakersfield stockton
richmond birmingham rochester spokane tacoma yonkers hartford providence
brooklyn queens bronx manhattan harlem hollywood compton
atlanta savannah augusta charleston greenville knoxville chattanooga lexington
laredo mcallen brownsville edinburg harlingen lubbock amarillo midland odessa
tijuana juarez monterrey guadalajara cancun acapulco puebla merida leon toluca
oaxaca tapachula matamoros reynosa nogales mexicali ensenada culiacan hermosillo
tegucigalpa managua bogota medellin cali quito guayaquil caracas havana
manila cebu davao bangkok hanoi saigon beijing shanghai kathmandu dhaka delhi mumbai
lagos accra nairobi kampala kinshasa dakar london manchester paris
madrid barcelona lisbon rome berlin bucharest kyiv kiev moscow warsaw sofia athens
toronto montreal vancouver calgary ottawa winnipeg
juneau sacramento hartford dover tallahassee honolulu boise springfield
indianapolis topeka frankfort annapolis lansing concord trenton
albany bismarck salem harrisburg nashville olympia charleston cheyenne
tacoma aurora arlington anaheim irvine glendale chandler gilbert scottsdale reno henderson
shreveport mobile huntsville memphis knoxville lexington wichita
luisiana misisipi pensilvania tejas louisiane floride californie georgie virginie
pennsylvanie parana bahia pernambuco ceara para amazonas goias maranhao piaui paraiba alagoas
sergipe rondonia roraima amapa tocantins
""")

# Places of more than one word, matched as phrases in the text.
MULTIWORD_PLACES = frozenset(
    fold(phrase.strip())
    for phrase in """
baja california, belo horizonte, buenos aires, burkina faso, carolina del norte,
carolina del sur, carolina do norte, carolina do sul, caroline du nord,
caroline du sud, ciudad de mexico, ciudad juarez, costa rica, cote d'ivoire,
dakota del norte, dakota del sur, district of columbia, distrito federal,
dominican republic, el paso, el salvador, espirito santo, estado de mexico,
estados unidos, etats-unis, fort worth, hong kong, ivory coast, la paz, los angeles,
mato grosso, mato grosso do sul, minas gerais, new hampshire, new jersey, new mexico,
new orleans, new york, new zealand, north carolina, north dakota, north korea,
nouveau-mexique, nova jersey, nova scotia, nova york, nueva jersey, nueva york,
nuevo leon, nuevo mexico, porto alegre, puerto rico, quintana roo,
republica dominicana, rhode island, rio de janeiro, rio grande do norte,
rio grande do sul, san antonio, san diego, san francisco, san jose, san luis potosi,
san miguel, san pedro sula, san salvador, santa ana, santa catarina,
santiago de los caballeros, santo domingo, sao paulo, saudi arabia, sierra leone,
south africa, south carolina, south dakota, south korea, sri lanka, united kingdom,
united states, virginia occidental, west virginia,
little rock, baton rouge, salt lake city, kansas city, oklahoma city, jersey city, st. louis,
st. paul, las vegas, santa fe, des moines, colorado springs, corpus christi, fort lauderdale,
west palm beach, virginia beach, long beach, san bernardino, santa rosa, carson city,
jefferson city, sioux falls, grand rapids, cedar rapids, new haven, silver spring
""".split(",")
)
PLACE_NAMES = PLACE_NAMES | MULTIWORD_PLACES

NATIONALITY_WORDS = _words("""
afghan albanian algerian american angolan argentine argentinian armenian australian
austrian bangladeshi belgian belizean bolivian bosnian brazilian british bulgarian
burmese cambodian cameroonian canadian chadian chilean chinese colombian congolese
cuban czech danish dominican dutch ecuadorian ecuadorean egyptian english eritrean
ethiopian fijian filipino filipina finnish french gambian german ghanaian greek
guatemalan guinean guyanese haitian honduran hungarian indian indonesian iranian
iraqi irish israeli italian jamaican japanese jordanian kazakh kenyan korean kosovar
kurdish kyrgyz lao laotian latvian lebanese liberian libyan lithuanian malagasy
malawian malaysian malian mauritanian mexican moldovan mongolian moroccan mozambican
namibian nepalese nepali nicaraguan nigerian nigerien norwegian pakistani panamanian
paraguayan peruvian polish portuguese qatari romanian russian rwandan salvadoran
salvadorean rican samoan senegalese serbian singaporean slovak somali
spanish sudanese swedish swiss syrian taiwanese tajik tanzanian thai tibetan togolese
tongan tunisian turkish ugandan ukrainian uruguayan uzbek venezuelan vietnamese
yemeni zambian zimbabwean lankan guineen guineenne srilankan bahasa hmong mayan maya mam kiche quiche qanjobal
mixteco mixtec zapoteco zapotec triqui nahuatl garifuna roma romani navajo dine
native indigenous latino latina latinx hispanic asian african european caribbean
arab arabic hindi urdu punjabi bengali tagalog ilocano cebuano visayan mandarin
cantonese fuzhounese swahili amharic tigrinya somali yoruba igbo hausa wolof twi
french creole kreyol portuguese spanish english russian ukrainian romanian polish
pashto dari farsi persian tamil telugu khmer burmese chin rohingya
mexicano mexicana guatemalteco guatemalteca hondureno hondurena salvadoreno
salvadorena nicaraguense colombiano colombiana venezolano venezolana ecuatoriano
ecuatoriana peruano peruana boliviano boliviana cubano cubana dominicano dominicana
brasileno brasilena haitiano haitiana chino china filipino filipina estadounidense
brasileiro brasileira mexicain mexicaine haitien haitienne quebecois quebecoise
francais francaise espanol espanola ingles portugues
""")

IRREGULAR_VERB_FORMS = _words("""
went gone took taken gave given came got gotten left told made kept said paid ran saw
seen knew known found brought bought sent began begun became felt held heard lost met
put read sold spent stood thought understood wrote written drove driven ate fell flew
forgot hid hit hurt led lent let lay lied meant rode rang rose shook shot shut sang sat
slept spoke stole struck swore taught threw woke wore won
""")

MONTH_AND_DAY_WORDS = (frozenset(MONTHS) | WEEKDAYS) - GIVEN_NAMES

# Words that, first in a capitalised span, make it a place: Fort Collins, San José, Lake Charles.
PLACE_PREFIXES = _words("""
fort ft port mount mt saint st ste san santa santo sao lake new north south east west
upper lower los las la el del puerto ciudad villa nuevo nueva bay cape
""")

# Words that, last in a capitalised span or right after it, make it a place or organisation.
NON_PERSON_SUFFIXES = _words("""
city county parish borough township village town beach springs falls heights valley
bridge park island islands norte sur sul nord bay harbor harbour port hills creek lake
river province state district region department court courthouse tribunal center centre
church hospital clinic school college university academy bank inc llc ltd corp co
company group services service office agency act law code program programme project
foundation coalition network house street avenue road highway boulevard market mall
plaza hotel motel inn restaurant farm farms ranch dairy factory plant store shop
salon spa club bar cafe international association alliance council commission
authority board unit division bureau police station jail prison detention growers
foods industries enterprises holdings partners associates corporation solutions
logistics staffing construction cleaning produce nursery packing seafood contractors
management properties realty motors transport trucking pd ministry ministerio
""")

# Prepositions that put a following capitalised word in place of a location ("in Kokomo").
PLACE_PREPOSITIONS = _words("""
in near at from to into outside around en desde hacia hasta a à dans au aux em no na
para por de del do da du des of
""")
# Of these, the ones that almost never stand before a person ("in Elizabeth", "en Aurora").
STRONG_PLACE_PREPOSITIONS = _words("in near into outside around en dans em no na à")

# Administrative units that name a place after them ("condado de Harris", "parish of Orleans").
ADMINISTRATIVE_UNITS = _words("""
condado county parroquia parish municipio municipalidad estado state departamento
departement provincia province ciudad city cidade ville town pueblo village aldea
distrito district comte region colonia barrio bairro sector canton
""")
PLACE_OF_ORIGIN = re.compile(
    r"(?i:\b(?:natural|originari[oa]|oriund[oa]|nativ[oa]|originaire|native|vecin[oa])"
    r"[ \t]+(?:de|of|do|da|del|du|d')[ \t]*)$"
)

_TITLES_CASE_SENSITIVE = (
    r"Mr|Mrs|Ms|Mx|Miss|Dr|Dra|Sr|Sra|Srta|Sres|Mme|Mlle|Dña|Ofc|Det|Sgt|Lt|Capt|Rev|Lic|Ing"
    r"|Prof|M|SA|SSA|TFO|AUSA|ADA|IJ|Ma|Pa|Big|Lil|Dom|Monsieur|Madame|Mademoiselle"
    r"|Officer|Deputy|Detective|Sergeant|Agent|Judge|Juez|Jueza|Pastor|Pastora|Reverend"
    r"|Father|Padre|Hermano|Hermana|Profesor|Profesora|Doctor|Doctora|Captain|Lieutenant"
    r"|Coach|Maître|Ma[iî]tre|Sister|Brother|Uncle|Aunt|Auntie|Aunty|Tía|Tío|Tia|Tio"
    r"|Lcda|Lcdo|Lda|Ldo|Mtro|Mtra|Abg|Abog|Me|Atty|Esq|Sra\.ª|Eng|Engª|Dr\.ª"
    # honorifics of address from South and Southeast Asia, Africa and the Caribbean
    r"|Pak|Bu|Ibu|Bapak|Mas|Mbak|Kak|Ate|Kuya|Manang|Manong|Ko|Daw|Bong|Anh|Baba|Papa|Mami"
    r"|Didi|Bhai|Bibi|Apa|Mzee|Oga|Ma['’]am|Ti|Tonton|Mamie|Chị|Chi"
)
_TITLES_ANY_CASE = (
    r"se[ñn]or|se[ñn]ora|se[ñn]orita|don|do[ñn]a|seu|senhor|senhora|madam|madame|madanm"
    r"|mama|mami|chief|licenciad[oa]"
)
# Titles that stand before first names, so that any lower-case word after them is a name.
_FIRST_NAME_TITLES = r"don|do[ñn]a|seu|madam|madanm|mama"
# Words of address that may stand before a name in any case ("ask for sister bernadette").
_ADDRESS_WORDS = r"sister|brother|uncle|aunt|auntie|aunty|hermana|hermano|t[íi]a|t[íi]o|madre|padre"
# Titles before a name; the name after them is removed, the title kept ("Ms. [PERSON 1]").
TITLE_PATTERN = (
    rf"(?:(?:{_TITLES_CASE_SENSITIVE})\.?|(?i:{_TITLES_ANY_CASE})\.?)"
)

# Relations and roles after which a name is expected ("her husband carlos", "su esposo Juan").
RELATION_PATTERN = (
    r"(?:husband|wife|ex|ex-husband|ex-wife|ex-boyfriend|ex-girlfriend|ex-partner|boyfriend"
    r"|girlfriend|partner|fianc[ée]e?|brother|sister|cousin|uncle|aunt|son|daughter|mother"
    r"|father|mom|mum|dad|stepfather|stepmother|stepdad|stepmom|stepbrother|stepsister"
    r"|grandmother|grandfather|grandma|grandpa|nephew|niece|relative|brother-in-law"
    r"|sister-in-law|mother-in-law|father-in-law|friend|roommate|neighbou?r|landlord|landlady"
    r"|employer|boss|owner|manager|supervisor|foreman|leader|driver|recruiter|trafficker"
    r"|pimp|smuggler|sponsor|caseworker|case\s+manager|advocate|attorney|lawyer|officer"
    r"|detective|investigator|agent|volunteer|spokesperson|client|survivor|victim|witness"
    r"|contact|co-worker|coworker|kids?|children|child|parents?"
    r"|esposo|esposa|marido|mujer|novio|novia|pareja|expareja|hermano|hermana|primo|prima"
    r"|t[íi]o|t[íi]a|hijo|hija|hijos|padre|madre|mam[áa]|pap[áa]|padrastro|madrastra|suegro"
    r"|suegra|cu[ñn]ado|cu[ñn]ada|sobrino|sobrina|abuelo|abuela|amigo|amiga|vecino|vecina"
    r"|patr[óo]n|patrona|jefe|jefa|due[ñn]o|due[ñn]a|tratante|explotador|explotadora|padrote"
    r"|proxeneta|enganchador|reclutador|reclutadora|contratista|empleador|empleadora"
    r"|encargado|encargada|compadre|comadre|cliente|clienta|v[íi]ctima|sobreviviente"
    r"|testigo|agente|detective|intermediari[oa]|pariente"
    r"|mari|femme|copain|copine|conjoint|conjointe|fr[èe]re|s[œo]eur|cousine|oncle|tante"
    r"|fils|fille|p[èe]re|m[èe]re|patronne|employeur|employeuse|prox[ée]n[èe]te|ami|amie"
    r"|voisin|voisine|compagnon|compagne|recruteur|passeur|victime"
    r"|namorado|namorada|irm[ãa]o|irm[ãa]|filho|filha|pai|m[ãa]e|patr[ãa]o|patroa|chefe"
    r"|dono|cafet[ãa]o|aliciador|aliciadora|recrutador|vizinho|vizinha|companheiro"
    r"|companheira|empregador|v[íi]tima|sobrevivente|intermedi[áa]rio)"
)

# Plain nouns for a person; a capitalised word after them is checked like a model guess,
# since it is as often a place ("young woman (Cabo Verde)") as a name ("the boy, Edwin").
PERSON_NOUN_PATTERN = (
    r"(?:boy|girl|teen|teenager|minor|youth|man|woman|ni[ñn]o|ni[ñn]a|joven|chico|chica|menino"
    r"|menina|gar[çc]on|homme|hombre|mujer|homem|mulher)"
)

# Verbs and phrases that introduce a name or nickname ("a man named kenny", "alias El Jony").
NAME_CUE_PATTERN = (
    r"(?:named|known\s+as|goes\s+by|go\s+by|went\s+by|a\.?k\.?a\.?|aka|alias|nicknamed"
    r"|ask\s+for|asked\s+for|c/o|attn:?|(?:'s|’s|his|her|my|their|whose)\s+(?:real\s+|full\s+"
    r"|first\s+|last\s+)?name\s+(?:is|was)|(?<=\w)(?:'s|’s)\s+name|under\s+the\s+name(?:\s+of)?"
    r"|real\s+name(?:\s+is)?|(?:nombre|nom|nome)\s+(?:real|v[ée]ritable|verdadeiro)(?:\s+es|\s+est|\s+[ée])?"
    r"|(?:man|guy|woman|girl|boy|lady|dude|person|someone|somebody|tipo|hombre|mujer|muchacho"
    r"|homme|femme|homem|mulher|cara)\s+(?:called|llamado|llamada|appel[ée]e?|chamad[oa])"
    r"|initials|initiales|iniciales|iniciais|a\s+nombre\s+de|en\s+nombre\s+de|llamad[oa]"
    r"|se\s+llama|se\s+llamaba|de\s+nombre"
    r"|(?:su|mi)\s+nombre(?:\s+real|\s+completo)?\s+es|nombre\s+real\s+es|conocid[oa]\s+como"
    r"|lo\s+conocen\s+como|la\s+conocen\s+como|le\s+conocen\s+como|apodad[oa]|le\s+dicen"
    r"|le\s+dec[íi]an|a\s+quien\s+llaman|un\s+tal|una\s+tal|preguntar?\s+por|pregunte\s+por"
    r"|nomm[ée]e?|s'appelle|s’appelle|surnomm[ée]e?|se\s+fait\s+appeler|dite?|chamad[oa]"
    r"|se\s+chama|chama-se|conhecid[oa]\s+como|apelidad[oa]|um\s+tal\s+de|uma\s+tal\s+de"
    r"|perguntar\s+por|dit\s+s['’]appeler|dice\s+llamarse|diz\s+chamar-se|vulgo|apelido"
    r"|apodo|chamad[oa]\s+de|conhecid[oa]\s+por|connue?\s+sous\s+le\s+nom\s+de|surnom"
    r"|sobrenombre|mote|by\s+the\s+name(?:\s+of)?)"
)
# Naming verbs after which only a capitalised or listed name is taken ("called the police").
WEAK_NAME_CUE_PATTERN = r"(?:called|calls|call\s+him|call\s+her|appel[ée]e?)"

# Case captions: "State v. Barrios", "People v. Orozco".
CASE_CAPTION_PATTERN = r"(?:v\.|vs\.?)"

NAME_PARTICLES = _words("de del la las los da das do dos di du van von der den le y e bin al")

# Values that an intake field can hold which are not names.
NON_NAME_VALUES = _words("""
unknown none n/a na withheld redacted anonymous desconocido desconocida inconnu inconnue
desconhecido desconhecida tbd pending confidential
""")

# Dotted initials that are abbreviations, not people ("U.S.", "C.D. Ill.", "P.O.").
DOTTED_ABBREVIATIONS = frozenset(
    fold(word)
    for word in """
    U.S. U.S.A. U.K. E.U. EE.UU. D.C. L.A. N.Y. N.J. P.O. A.M. P.M. D.A. A.D.A. P.D.
    C.D. N.D. S.D. E.D. W.D. M.D. D.D.S. J.D. R.N. B.A. M.A. B.S. M.S. I.D. S.A. C.P.
    S.S. D.O.B. A.K.A. E.E.U.U. R.I. N.C. S.C. N.H. N.M. D.V. T.V. U.N. O.K. P.S. C.V.
    U.S.C. C.F.R. R.S. O.S. T.C.A. C.C. I.N.A. R.C. G.S. A.R.S. K.S.A. O.C.G.A.
    """.split()
) | frozenset(  # federal districts: "D.N.J.", "D.S.C."
    fold(f"D.{abbreviation[0]}.{abbreviation[1]}.") for abbreviation in US_STATES.values()
)

# Nickname words that Spanish speakers use for people ("el güero", "la flaca").
SPANISH_NICKNAMES = _words("""
guero guera gringo gringa flaco flaca gordo gorda chato chata pelon pelona rubio rubia
moreno morena prieto prieta chaparro chaparra negro negra guerito guerita flaquito
gordito gordita chino china paisa compa tigre diablo cholo chola mocho mocha zurdo
gallo chapo chueco chueca gato gata nene nena morocho morocha catracho catracha
""")

# ---------------------------------------------------------------------------
# Helpers shared by the recognisers
# ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CONTRACTION = re.compile(r"(?i:['’](?:ll|re|ve|m|d|t))$|(?i:n['’]t)$")
_TITLE = re.compile(rf"(?<![\w.])(?:{TITLE_PATTERN}|(?i:{_ADDRESS_WORDS}))[ \t]+")
_DOTTED_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){2,3}(?![\w])")
_INITIALS = re.compile(r"[A-Z]\.(?:[ ]?[A-Z]\.)*|[A-Z](?![\w'’.])")
_ACCENTED = "áàâäãåāăąçćčďéèêëēėęěíìîïīįñńňóòôöõōőŕřśšşťúùûüūůűųýÿźżž"
_ACCENT_TABLE = str.maketrans(
    _ACCENTED + "øœæ", "".join(unicodedata.normalize("NFKD", char)[0] for char in _ACCENTED) + "ooa"
)

MODE_CAPITALISED = "capitalised"  # only capitalised words (or listed names in capitals)
MODE_LISTED = "listed"  # also lower-case words from the name lists ("carlos")
MODE_ANY = "any"  # also any lower-case word that is not a function or common word


def fold_keeping_length(text: str) -> str:
    """Lower-case and strip accents without changing offsets, for searching the text."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower()[:1] for char in text)
    return lowered.translate(_ACCENT_TABLE)


def is_capitalised(word: str) -> bool:
    """True when a word starts with a capital letter and is not shouting in all capitals."""
    return word[:1].isupper() and not (len(word) > 1 and word.isupper())


def strip_possessive(word: str) -> str:
    """Drop an English possessive ending ("Carlos's" -> "Carlos")."""
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def is_never_a_name(word: str) -> bool:
    """True for words that cannot be a person's name whatever the context."""
    key = fold(strip_possessive(word)).strip(".")
    return (
        key in STOP_WORDS
        or key in ROLE_WORDS
        or key in LEGAL_AND_AGENCY_WORDS
        or key in MONTH_AND_DAY_WORDS
        or key in NATIONALITY_WORDS
    )


def is_listed_name(word: str) -> bool:
    """True for a word on the given-name or surname lists."""
    key = fold(strip_possessive(word))
    return key in GIVEN_NAMES or key in SURNAMES


def is_common_word(word: str, common_words: frozenset[str]) -> bool:
    """True for an ordinary English word, also in a plural or past form ("started", "went")."""
    key = word.lower()
    if key in common_words or key in IRREGULAR_VERB_FORMS:
        return True
    for ending, replacement in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                ("ing", "e"), ("ies", "y"), ("d", "")):
        if key.endswith(ending) and key[: -len(ending)] + replacement in common_words:
            return True
    return False


def _name_word(text: str, position: int, mode: str, common_words: frozenset[str]) -> int | None:
    """End offset of one acceptable name word starting at position, or None."""
    match = _WORD.match(text, position)
    if match is None:
        return None
    word = strip_possessive(match.group())
    if len(word) < 2 or is_never_a_name(word) or _CONTRACTION.search(word):
        return None
    if is_capitalised(word) or (word.isupper() and is_listed_name(word)):
        return match.start() + len(word)
    if word.islower() and mode != MODE_CAPITALISED:
        if is_listed_name(word):
            return match.start() + len(word)
        if mode == MODE_ANY and not is_common_word(word, common_words):
            if not re.match(r"(?:[sldnmtjc]|qu)['’]", word):  # French elision: "s'appeler"
                return match.start() + len(word)
    return None


def take_name(
    text: str,
    position: int,
    mode: str,
    common_words: frozenset[str] = frozenset(),
    max_words: int = 4,
    after_title: bool = False,
) -> int | None:
    """End offset of a name (one to max_words words) starting at position, or None."""
    title = _TITLE.match(text, position)
    if title is not None:
        position = title.end()
        after_title = True
    initials = _INITIALS.match(text, position)
    if initials is not None and (initials.group().endswith(".") or after_title):
        after = initials.end()
        if text[after : after + 1] == " ":
            surname = _name_word(text, after + 1, MODE_CAPITALISED, common_words)
            if surname is not None:
                return surname
        return after
    end = _name_word(text, position, mode, common_words)
    if end is None:
        return None
    lowercase = text[position].islower()
    words = 1
    cursor = end
    while words < max_words:
        gap = re.match(r"[ \t]+", text[cursor:])
        if gap is None:
            break
        next_start = cursor + gap.end()
        word_match = _WORD.match(text, next_start)
        if word_match is None:
            break
        if len(word_match.group()) == 1 and text[word_match.end() : word_match.end() + 1] == ".":
            if lowercase and mode != MODE_ANY:
                break
            cursor = word_match.end() + 1  # an initial inside or after a name: "Karim B."
            words += 1
            continue
        word = word_match.group()
        if fold(word) in NAME_PARTICLES and word.islower():
            space = re.match(r"[ \t]+", text[word_match.end() :])
            if space is None:
                break
            candidate = _name_word(text, word_match.end() + space.end(), mode, common_words)
            if candidate is None:
                break
            cursor = candidate
            words += 2
            continue
        if lowercase != word.islower():
            break  # "carlos Took" or "Carlos said" do not run on
        next_mode = MODE_CAPITALISED if not lowercase else mode
        candidate = _name_word(text, next_start, next_mode, common_words)
        if candidate is None:
            break
        cursor = candidate
        words += 1
    return cursor


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a verbose pattern."""
    return re.compile(pattern, flags | re.VERBOSE)


def _digits(text: str) -> str:
    """The digits of a string, in order."""
    return "".join(char for char in text if char.isdigit())


# ---------------------------------------------------------------------------
# E-mail and handles
# ---------------------------------------------------------------------------

_EMAIL = _compile(
    r"""(?<![\w.+-])[\w.+-]+(?:@|[ ]?(?:\[at\]|\(at\))[ ]?)[\w-]+
        (?:(?:\.|[ ]?(?:\[dot\]|\(dot\))[ ]?)[\w-]+)*(?:\.|[ ]?(?:\[dot\]|\(dot\))[ ]?)
        [A-Za-z]{2,}(?![\w@])"""
)
_DOT_WORDS = r"(?:dot|punto|point|ponto)"
_SPOKEN_EMAIL_DOMAIN = _compile(
    rf"""(?i:[ ](?:at|arroba|arobase)[ ]+[a-z0-9-]+(?:[ ]+{_DOT_WORDS}[ ]+[a-z0-9-]+)*
        [ ]+{_DOT_WORDS}[ ]+(?:com|net|org|edu|gov|mx|es|fr|br|pt|co|us|ca|uk|de|it|info))
        (?![\w])"""
)
_AT_HANDLE = _compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,29}[A-Za-z0-9_])?(?![\w@])")
_CASHTAG = _compile(r"(?<![\w$])\$[A-Za-z][A-Za-z0-9_]{2,19}(?![\w])")
_PROFILE_URL = _compile(
    r"""(?i:\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|twitter|x|snapchat
        |onlyfans|t|wa|linkedin|youtube|telegram|vk|threads)\.(?:com|me|net)/[\w./?=%-]+)"""
)
_HANDLE_CUE = _compile(
    r"""(?P<cue>(?i:\b(?:whats\s?app|telegram|signal|snapchat|snap|sc|ig|insta|instagram|facebook|fb
        |messenger|tiktok|tik\s?tok|twitter|kik|wechat|weixin|line|viber|discord|onlyfans
        |skype|cash\s?app|venmo|zelle|paypal|grindr|tinder|bumble|hinge|skout|meetme|kakao\s?talk
        |reddit|threads|vk|vkontakte|imo|zalo|qq|botim|free\s?fire|roblox|fortnite|xbox|psn|megapersonals|listcrawler
        |skipthegames|user(?:\s?name)?|usuario|usu[áa]rio|utilisateur|pseudo|handle|gamertag
        |screen\s?name|nick(?:name)?|perfil|profile|account|cuenta|compte|conta)\b))
        (?P<filler>[ \t]*\(?[ \t]*(?:(?i:account|acct|handle|username|user\s?name|user|id
        |profile|page|nick|usuario|cuenta|perfil|compte|conta)[ \t]*)?
        (?:[:=@]|(?i:is|was|as|es|era|est|[ée]))?[ \t]*["“«']?[ \t]*)
        (?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.-]{2,31})"""
)
_EXPLICIT_HANDLE_MARKERS = ("handle", "user", "usuario", "usuário", "utilisateur", "pseudo",
                            "nick", ":", "=", "@", "as", '"', "“", "«", "'", "(")


def find_emails(text: str) -> Iterator[PatternMatch]:
    """E-mail addresses, also obfuscated ("maria [at] mail [dot] com", "kayla dot m at ...")."""
    for match in _EMAIL.finditer(text):
        yield PatternMatch(EMAIL, match.start(), match.end(), TIER_SPECIFIC)
    for match in _SPOKEN_EMAIL_DOMAIN.finditer(text):
        start = _spoken_local_part_start(text, match.start())
        if start is not None:
            yield PatternMatch(EMAIL, start, match.end(), TIER_SPECIFIC)


def _spoken_local_part_start(text: str, at_position: int) -> int | None:
    """Start of the user part before a spoken ' at ': words joined by 'dot' and trailing digits."""
    tokens = list(re.finditer(r"[\w-]+", text[max(0, at_position - 80) : at_position]))
    offset = max(0, at_position - 80)
    if not tokens or tokens[-1].end() + offset != at_position:
        return None
    index = len(tokens) - 1
    while index > 0:
        joined_by_dot = re.fullmatch(_DOT_WORDS, tokens[index - 1].group(), re.IGNORECASE)
        if joined_by_dot and index >= 2:
            index -= 2  # "kayla dot m"
        elif not joined_by_dot and tokens[index].group().isdigit():
            index -= 1  # "lopez 2003 arroba ...": digits glued to the name part
        else:
            break
    return tokens[index].start() + offset


def find_handles(
    text: str, common_words: frozenset[str] = frozenset()
) -> Iterator[PatternMatch]:
    """Social-media handles, profile links, cash tags and ids after a platform's name."""
    for pattern in (_AT_HANDLE, _CASHTAG, _PROFILE_URL):
        for match in pattern.finditer(text):
            yield PatternMatch(HANDLE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _HANDLE_CUE.finditer(text):
        handle = match.group("handle").rstrip(".-")
        filler = match.group("filler").strip().lower()
        cue = match.group("cue").lower()
        looks_like_id = handle.startswith("@") or any(
            char.isdigit() or char in "_." for char in handle
        )
        explicit = any(marker in filler for marker in _EXPLICIT_HANDLE_MARKERS) or cue.startswith(
            ("user", "usuario", "usuário", "utilisateur", "pseudo", "handle", "gamertag", "screen")
        )
        word = handle.lstrip("@")
        if is_never_a_name(word) or is_common_word(word, common_words):
            if not looks_like_id:
                continue
        if not (looks_like_id or (explicit and handle.islower())):
            continue  # a capitalised word after the platform is a profile name, not a handle
        if len(_digits(handle)) >= 7 and not re.search("[A-Za-z_]", handle):
            continue  # a phone number; the phone recogniser owns it
        start = match.start("handle")
        yield PatternMatch(HANDLE, start, start + len(handle), TIER_SPECIFIC)


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------

_PHONE_NANP = _compile(
    r"""(?<![\w+/.-])(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)[ .-]?|[2-9]\d{2}[ .-]?)\d{3}[ .-]?\d{4}
        (?:[ ]?(?:ext\.?|x)[ ]?\d{1,5})?(?![\w/]|[.-]\d)"""
)
_PHONE_INTERNATIONAL = _compile(
    r"""(?<![\w+])(?:\+|00)\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w/]|[.-]\d)"""
)
_PHONE_GROUPED = _compile(
    r"""(?<![\w.,/$§+-])(?:\(\+?\d{2,4}\)[ ]?|\d{2,5}[ .-])(?:\d{2,5}[ .-]){0,4}\d{2,5}
        (?![\w/]|[.,-]\d)"""
)
_PHONE_CUE = _compile(
    r"""(?i:\b(?:phone|ph|cell|cellphone|cell\s?phone|mobile|tel|telephone|landline|text|txt
        |call|whats\s?app|tel[ée]fono|celular|cel|m[óo]vil|t[ée]l[ée]phone
        |portable|telefone|telem[óo]vel|contato|contacto|contact|fax)\b)[^\d\n+]{0,12}?
        (?P<number>\+?\(?\d[\d ().-]{5,20}\d)(?![\w/]|[.-]\d)"""
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DATE_SHAPE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def _is_phone_shape(number: str, minimum_digits: int) -> bool:
    """True for a digit group sequence that reads as a phone number rather than a year range."""
    digits = _digits(number)
    if not minimum_digits <= len(digits) <= 15:
        return False
    groups = re.findall(r"\d+", number)
    if len(groups) > 1 and all(len(group) == 4 and _YEAR.fullmatch(group) for group in groups):
        return False  # "2019-2023", "2019 2020 2021"
    if re.fullmatch(r"\d{3}[- ]\d{2}[- ]\d{4}", number):
        return False  # the shape of a social security number
    if re.fullmatch(r"\d{5}-\d{4}", number):
        return False  # a ZIP+4 code
    if _DATE_SHAPE.fullmatch(number) and len(digits) <= 8:
        return False
    return not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number)  # "1.023.456": a number or an id


def find_phones(text: str) -> Iterator[PatternMatch]:
    """Phone numbers in North American and international formats."""
    for match in _PHONE_NANP.finditer(text):
        if _is_phone_shape(match.group(), 10):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_INTERNATIONAL.finditer(text):
        if _is_phone_shape(match.group(), 8):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_GROUPED.finditer(text):
        if len(re.findall(r"\d+", match.group())) >= 2 and _is_phone_shape(match.group(), 9):
            yield PatternMatch(PHONE, match.start(), match.end(), TIER_SPECIFIC)
    for match in _PHONE_CUE.finditer(text):
        number = match.group("number").rstrip(" .-(")
        if _is_phone_shape(number, 7) and not _YEAR.fullmatch(_digits(number)):
            start = match.start("number")
            yield PatternMatch(PHONE, start, start + len(number), TIER_SPECIFIC)


# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------

_ID_BODY = (
    r"(?:[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*(?:[ ]\d+){0,3}"
    r"|[A-Z]{1,4}(?:[-. ]?[A-Z0-9]*\d[A-Z0-9]*)+(?:[-/.][A-Za-z0-9]+)*)"
)
_A_NUMBER = _compile(
    r"""(?<![\w-])A[ -]?\#?[ ]?(?:\d{3}[ -]?\d{3}[ -]?\d{3}|\d{8})(?![\w-]|\.\d)"""
)
_A_NUMBER_CUE = _compile(
    r"""(?i:\b(?:a[- ]?number|a[- ]?\#|alien\s+(?:registration\s+)?(?:number|no\.?|\#)
        |a[- ]file|n[úu]mero\s+a|n[úu]mero\s+de\s+extranjero)(?![\w]))[^\d\n]{0,6}
        (?P<number>\d{3}[ -]?\d{3}[ -]?\d{2,3})(?![\w-])"""
)
_SSN = _compile(r"(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-]|\.\d)")
_SSN_CUE = _compile(
    r"""(?i:\b(?:ssn|ss\#|s\.s\.n\.?|social\s+security(?:\s+(?:number|no\.?|\#|card))?
        |seguro\s+social|s[ée]curit[ée]\s+sociale)(?![\w]))[^\d\n]{0,45}?
        (?P<number>(?:\d{3}|[xX*]{3})[- ]?(?:\d{2}|[xX*]{2})[- ]?\d{4})(?![\w-])"""
)
_MASKED_SSN = _compile(r"(?<![\w-])[xX*]{3}-[xX*]{2}-\d{4}(?![\w-])")
_RECEIPT = _compile(
    r"""(?<![\w-])[A-Z]{3}(?:\d{10}|[- ]\d{2}[- ]?\d{3}[- ]?\d{5}|\d{2}-\d{3}-\d{5})
        (?![\w-])"""
)
_DOCKET = _compile(
    r"""(?<![\w-])(?:\d{1,2}:\d{2}-[A-Za-z]{2,4}-\d{2,6}(?:-[A-Za-z]{1,4})*
        |\d{2,4}-[A-Za-z]{1,4}-\d{3,8}(?:-[A-Za-z0-9]{1,4})?
        |[A-Z]{1,4}-?\d{2,4}-\d{3,8})(?![\w-])"""
)
# Tokens mixing capitals and at least five digits: passports, NIE, voter keys, court numbers.
_MIXED_TOKEN = _compile(r"(?<![\w./-])[A-Z0-9]+(?:[-./][A-Za-z0-9]+)*(?![\w-]|[./][A-Za-z0-9])")
_LONG_NUMBER = _compile(r"(?<![\w.,$-])\d{8,}(?![\w-]|[.,]\d)")
_NUMBER_MARKER = _compile(
    rf"""(?:(?i:\b(?:nos?|n[úu]m|num|n|ind|doc)\.|\bn\.?[ ]?[º°]|\bn[º°]|\b(?:n[úu]mero|numero
        |num[ée]ro|number)\b)|\#)[ \t]*:?[ \t]*
        (?P<body>{_ID_BODY})
        (?:[ \t]*(?:,|and|y|e|et)[ \t]+(?P<second>{_ID_BODY}))?"""
)
_ACRONYM_LABEL = _compile(
    rf"""(?<![\w.])(?P<label>[A-Z]{{2,6}}|(?:[A-Z]\.){{2,3}})[ \t]*(?:\#|:|(?i:no\.?|n[º°]))?
        [ \t]*(?P<body>{_ID_BODY})"""
)
_ID_CUE = _compile(
    rf"""(?P<cue>(?i:\b(?:passport|pasaporte|passeport|passaporte|visa\s+(?:number|no\.?|\#|foil)
        |(?:driver'?s?\s+)?licen[cs]e|dl|cdl|licencia(?:\s+de\s+conducir)?
        |permis(?:\s+de\s+conduire)?|carteira(?:\s+de\s+motorista)?|cnh|state\s+id|id\s+card
        |identification|id|i\.d\.|tarjeta\s+de\s+identidad|c[ée]dula|dpi|dui|curp|rfc|nie|dni
        |nif|rg|cpf|ctps|rnm|nysid|fbi|sid|i-94|ead(?:\s+card)?|sevis|booking|inmate|case|caso
        |docket|index|indictment|file|expediente|carpeta(?:\s+de\s+investigaci[óo]n)?
        |causa(?:\s+penal)?|dossier|processo|process|report|reporte|denuncia|incident|complaint
        |claim|receipt|matter|reference|ref|folio|averiguaci[óo]n|boletim|ocorr[êe]ncia
        |clave(?:\s+de\s+elector)?|ofpra|registre|registro|s[ée]rie)(?![\w])))
        (?P<filler>(?:[ \t]*(?:(?i:number|num|no|n[º°o]|is|was|of|reads?|ending\s+in|es|era
        |est|[ée]|de|del|d'immatriculation|numero|n[úu]mero|record|penal|criminal|national
        |nacional|bis|du|client[ea]?|victime|la|el|fiscal|extranjer[oa]|foreign|[ée]tranger
        |[a-z]+(?:an[oa]?|ais|aise|ois|oise|ense|[eê]s|esa))\b
        |\#|:|=|-|\.|\())*[ \t]*(?:[a-záéíóúñç]{{2,}}[ \t]+){{0,2}}?)
        (?P<body>{_ID_BODY})"""
)
_PLATE_CUE = _compile(
    r"""(?i:\b(?:licen[cs]e\s+)?(?:plates?|tags?|placas?|plaques?|matr[íi]culas?
        |immatriculation)(?![\w]))"""
)
_PLATE_BODY = _compile(
    r"""(?<![\w-])(?:[A-Z0-9]{1,5}(?:[- ][A-Z0-9]{1,5}){1,3}|[a-z0-9]{1,5}(?:[- ][a-z0-9]{1,5}){1,3}
        |[A-Za-z0-9]{5,8})(?![\w-])"""
)
_FORM_NAME = re.compile(r"[A-Z]{1,2}-\d{1,4}[A-Z]?|EOIR-\d{1,3}[A-Z]?")
_STATUTE_BEFORE = re.compile(
    r"""(?:§+|\b(?i:secs?|sections?|arts?|articles?|art[íi]culos?|artigos?|rules?|codes?
        |stats?|statutes?|c[óo]digo|ley|lei|loi|chapter|ch|title|ilcs|rcw|ors|mcl|nrs|crs
        |cpl|pc|rsa|ina|vtl|hsc|wic|fc)\.?|(?:U\.?S\.?C|C\.?F\.?R|A\.?R\.?S|K\.?S\.?A
        |O\.?C\.?G\.?A|T\.?C\.?A|R\.?S|O\.?S|G\.?S|R\.?C)\.?)[ \t]*(?:\(\w+\)[ \t]*)*$""",
    re.VERBOSE,
)
_CURRENCY_BEFORE = re.compile(r"[$€£¥][ ]?$|(?i:\b(?:usd|mxn|eur|brl|us\$|r\$)[ ]?)$")
_CURRENCY_AFTER = re.compile(
    r"^[ ]?(?i:dollars|d[óo]lares|pesos|reais|euros|€|usd|mxn|eur|brl|quetzales|lempiras)\b"
)
_CALENDAR_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    """Social security number ranges: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    return area not in {"000", "666"} and not area.startswith("9") and group != "00" and serial != "0000"


def _is_identifier_body(text: str, start: int, body: str, minimum_digits: int = 3) -> bool:
    """True for a token that reads as an identifier rather than a year, date, form or statute."""
    digits = _digits(body)
    if len(digits) < minimum_digits or sum(char.isalnum() for char in body) < 4:
        return False
    if body.isdigit() and _YEAR.fullmatch(body):
        return False
    if re.fullmatch(r"(?:19|20)\d{2}[-/](?:19|20)?\d{2}", body) or _CALENDAR_DATE.fullmatch(body):
        return False  # a year range or a date
    if _FORM_NAME.fullmatch(body):
        return False  # a form: I-914, DS-160
    if re.fullmatch(r"\d{1,4}[A-Za-z]?\.\d{1,5}[A-Za-z]?(?:\(\w+\))*", body):
        return False  # a statute section: 440.10, 943.0583
    before = text[max(0, start - 24) : start]
    if _STATUTE_BEFORE.search(before) or _CURRENCY_BEFORE.search(before):
        return False
    return not (body.replace(",", "").replace(".", "").isdigit()
                and _CURRENCY_AFTER.match(text[start + len(body) : start + len(body) + 12]))


def _trim_body(body: str) -> str:
    """Drop trailing punctuation and a trailing lone word that is not part of an identifier."""
    return body.rstrip(".-/ ")


def find_identifiers(text: str) -> Iterator[PatternMatch]:
    """A-numbers, SSNs, receipt, case, docket, passport and plate numbers."""
    for pattern in (_A_NUMBER, _RECEIPT, _DOCKET, _MASKED_SSN):
        for match in pattern.finditer(text):
            yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    for match in _A_NUMBER_CUE.finditer(text):
        yield PatternMatch(ID, match.start("number"), match.end("number"), TIER_SPECIFIC)
    for match in _SSN.finditer(text):
        if _valid_ssn(match.group(1), match.group(3), match.group(4)):
            yield PatternMatch(ID, match.start(), match.end(), TIER_SPECIFIC)
    # A number the writer labels as a social security number is removed even when it falls
    # outside the issued ranges (a bought or mistyped number still identifies the person).
    for match in _SSN_CUE.finditer(text):
        yield PatternMatch(ID, match.start("number"), match.end("number"), TIER_SPECIFIC)
    yield from _generic_identifiers(text)
    yield from _cued_identifiers(text)
    yield from _plates(text)


def _generic_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identifier-shaped tokens with no cue: capitals mixed with digits, long digit runs."""
    for match in _MIXED_TOKEN.finditer(text):
        token = match.group()
        if not re.search("[A-Z]", token) or len(_digits(token)) < 5:
            continue
        if _is_identifier_body(text, match.start(), token, minimum_digits=5):
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
    for match in _LONG_NUMBER.finditer(text):
        if _is_identifier_body(text, match.start(), match.group(), minimum_digits=8):
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)


def _cued_identifiers(text: str) -> Iterator[PatternMatch]:
    """Identifiers after a cue word, a number sign or a capitalised document label."""
    for match in _ID_CUE.finditer(text):
        body = _trim_body(match.group("body"))
        if _is_identifier_body(text, match.start("body"), body):
            yield PatternMatch(ID, match.start("body"), match.start("body") + len(body), TIER_GENERIC)
    for match in _NUMBER_MARKER.finditer(text):
        for group in ("body", "second"):
            if match.group(group) is None:
                continue
            body = _trim_body(match.group(group))
            start = match.start(group)
            if _is_identifier_body(text, start, body, minimum_digits=4):
                yield PatternMatch(ID, start, start + len(body), TIER_GENERIC)
    for match in _ACRONYM_LABEL.finditer(text):
        body = _trim_body(match.group("body"))
        start = match.start("body")
        if re.search(r"\d[ \t]*$", text[max(0, match.start() - 6) : match.start()]):
            continue  # "18 U.S.C. 1591": a title number before a code
        if _is_identifier_body(text, start, body, minimum_digits=6):
            yield PatternMatch(ID, start, start + len(body), TIER_GENERIC)


def _plates(text: str) -> Iterator[PatternMatch]:
    """Licence plates after a cue word, within the same sentence."""
    for cue in _PLATE_CUE.finditer(text):
        window_end = cue.end() + 60
        sentence_end = re.search(r"[.;!?](?:\s|$)|\n", text[cue.end() : window_end])
        if sentence_end is not None:
            window_end = cue.end() + sentence_end.start()
        for match in _PLATE_BODY.finditer(text, cue.end(), window_end):
            plate = match.group()
            letters = sum(char.isalpha() for char in plate)
            digits = len(_digits(plate))
            if digits < 2 or letters < 1 or not 4 <= letters + digits <= 9:
                continue
            if not (plate.isupper() or plate.islower() or plate.isdigit()):
                continue
            if _FORM_NAME.fullmatch(plate):
                continue
            yield PatternMatch(ID, match.start(), match.end(), TIER_GENERIC)
            break


# ---------------------------------------------------------------------------
# Dates of birth
# ---------------------------------------------------------------------------

_MONTH_NAME = r"(?:[^\W\d_]{2,12})"
_ORDINAL = r"(?:st|nd|rd|th|º|°|er|o)?"
_DATE = _compile(
    rf"""(?P<date>
        (?P<n1>\d{{1,4}})(?P<sep>[/.-])(?P<n2>\d{{1,2}})(?P=sep)(?P<n3>\d{{2,4}})
      | (?P<m1>{_MONTH_NAME})\.?[ -]+(?P<d1>\d{{1,2}}){_ORDINAL}(?:,?[ ]+|-)?(?P<y1>\d{{4}}|(?<=-)\d{{2}})?
      | (?P<d2>\d{{1,2}}){_ORDINAL}[ -]+(?:de[ ]+|of[ ]+)?(?P<m2>{_MONTH_NAME})\.?
        (?:(?:,?[ ]+|-)(?:de[ ]+|del[ ]+)?(?P<y2>\d{{4}}))?
      | (?P<d3>\d{{1,2}})(?P<sep3>[/.-])(?P<m3>{_MONTH_NAME})(?P=sep3)(?P<y3>\d{{2,4}})
    )(?![\w/])"""
)
_DOB_CUE = _compile(
    r"""(?i:\bDOB|\bD\.O\.B\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday|\bborn|\bb\.
        |\bfecha\s+de\s+nacimiento|\bf\.\s?(?:de\s)?nac\.?|\bnac\.|\bnasc\.|\bnaci[óo]
        |\bnacid[oa]|\bn[ée]e?(?=\s+le\b)|\bdate\s+de\s+naissance|\bdata\s+de\s+nascimento
        |\bnascid[oa]|\bnasceu|\bnasci|\bcumplea[ñn]os|\banniversaire|\banivers[áa]rio
        |\bturns?\s+\d{1,2}\s+on|\bcumple\s+(?:\d{1,2}\s+)?(?:a[ñn]os\s+)?el
        |\bdate\s+de\s+naiss\.?|\bd\.?\s?n\.|\bbday)(?![\w])
        (?P<filler>[ \t:,–-]*(?:\([^)\n]{0,12}\)[ \t:,–-]*)?
        (?:(?i:in|en|em|à|at|a)[ \t]+(?:[A-Z][\w'’-]*[ \t,]+){1,3}(?:(?i:on|el|le|em|no\s+dia)[ \t]+)?)?
        (?:(?i:is|was|on|the|el|le|em|en|a|no\s+dia|o\s+dia|dia|listed|given|recorded
        |registered|written|shown|stated|as|:|-)[ \t]+)*)"""
)


def _valid_day(year: int | None, month: int, day: int) -> bool:
    """True when day exists in that month (29 February needs a leap year when one is given)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    leap_year = 2000 if year is None else year
    return day <= calendar.monthrange(leap_year, month)[1]


def _full_year(value: str) -> int:
    """Expand a two-digit year to four digits, choosing the most recent past century."""
    year = int(value)
    if len(value) == 2:
        year += 2000 if year <= date.today().year % 100 else 1900
    return year


def _valid_birth_date(match: re.Match[str]) -> bool:
    """Calendar check of a matched date, in either day/month order where numeric."""
    if match.group("n1") is not None:
        first, second, third = match.group("n1"), match.group("n2"), match.group("n3")
        if len(first) == 4:
            return _valid_day(int(first), int(second), int(third))
        if len(first) == 3 or len(third) == 3:
            return False
        year = _full_year(third)
        if not 1900 <= year <= date.today().year:
            return False
        return _valid_day(year, int(first), int(second)) or _valid_day(year, int(second), int(first))
    month_word = match.group("m1") or match.group("m2") or match.group("m3")
    day_text = match.group("d1") or match.group("d2") or match.group("d3")
    year_text = match.group("y1") or match.group("y2") or match.group("y3")
    month = BIRTH_MONTHS.get(fold(month_word).rstrip("."))
    if month is None:
        # A month of another calendar ("10 Boishakh 1408", "17 Tir 1375"): day and year only.
        return (year_text is not None and len(year_text) == 4 and 1300 <= int(year_text) <= 2100
                and 1 <= int(day_text) <= 32 and fold(month_word) not in STOP_WORDS)
    birth_year = _full_year(year_text) if year_text else None
    if birth_year is not None and not 1900 <= birth_year <= date.today().year:
        return False
    return _valid_day(birth_year, month, int(day_text))


def find_birth_dates(text: str) -> Iterator[PatternMatch]:
    """Dates that the context marks as a date of birth, checked against the calendar."""
    for cue in _DOB_CUE.finditer(text):
        match = _DATE.match(text, cue.end())
        if match is None or not _valid_birth_date(match):
            continue
        yield PatternMatch(DOB, match.start("date"), match.end("date"), TIER_SPECIFIC)


# ---------------------------------------------------------------------------
# Street addresses
# ---------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ"
_STREET_SUFFIX = (
    r"(?i:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct"
    r"|Place|Pl|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Loop|Square|Sq"
    r"|Pike|Row|Alley|Crescent|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)"
)
_UNIT_WORD = (
    r"(?i:Apt|Apartment|Unit|Suite|Ste|Lot|Trailer|Room|Rm|Floor|Fl|Bldg|Building|apto|depto"
    r"|dpto|departamento|apartamento|appartement|appt|app|int|interior|piso|andar|bloco|casa"
    r"|puerta|esc|b[âa]t|b[âa]timent|[ée]tage)"
)
_UNIT = (
    rf"(?:,?[ ]*{_UNIT_WORD}\.?[ ]*(?:\#|No\.?|n[º°])?[ ]*"
    r"(?:\d[A-Za-z0-9-]{0,5}|[A-Z](?:-?\d{1,4})?)(?![\w:])"
    r"|,?[ ]*\#[ ]?[A-Za-z0-9][A-Za-z0-9-]{0,5}(?![\w]))"
)
_STREET_ADDRESS = _compile(
    rf"""(?<![\w\#$.,/-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,4}})?[ ]+
        (?:(?:[NSEWnsew]|NE|NW|SE|SW|ne|nw|se|sw|North|South|East|West)\.?[ ]+)?
        (?P<street>(?:(?:[{_UPPER}][\w'.-]*|\d{{1,3}}(?:st|nd|rd|th))[ ]+){{1,5}}?)
        {_STREET_SUFFIX}\.?(?![\w])
        (?:[ ]+(?:[NSEW]|NE|NW|SE|SW)\.?(?![\w]))?
        {_UNIT}*"""
)
_ROMANCE_NAME_WORDS = (
    rf"(?:(?:(?:de|del|la|las|los|el|da|das|do|dos|des|du|d'|e|y)[ ]+)*"
    rf"(?:[{_UPPER}][\w'’.-]*|\d{{1,3}}(?:[ ]+de[ ]+[{_UPPER}][\w]*)?)[ ]*){{1,6}}"
)
_ROMANCE_STREET = _compile(
    rf"""\b(?:(?i:Calle|Avenida|Avda|Calzada|Carrera|Cra|Diagonal|Transversal|Bulevar|Camino
        |Callej[óo]n|Privada|Andador|Paseo|Pasaje|Carretera|Rua|Travessa|Alameda|Estrada
        |Rodovia|Largo|Pra[çc]a)\.?|C/|Av\.|Calz\.|Priv\.|Blvd\.)[ ]+
        {_ROMANCE_NAME_WORDS},?[ ]*(?:No\.?|N[úu]m\.?|n[º°]|n\.[º°]|\#|n[úu]mero)?[ ]*
        \d{{1,5}}[A-Za-z]?(?:[ ]*[-–][ ]*\d{{1,4}})?(?![\w])
        (?:,?[ ]*(?i:col\.|colonia|bairro|barrio|fracc\.?|fraccionamiento|urb\.)[ ]+
        {_ROMANCE_NAME_WORDS})?
        {_UNIT}*"""
)
_FRENCH_STREET = _compile(
    rf"""(?<![\w.,/-])\d{{1,5}}(?:[ ]?(?:bis|ter))?,?[ ]+
        (?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|place|quai|cours|route
        |square|passage)[ ]+
        (?:(?:de|du|des|la|le|l'|d'|les|en|sur|aux?)[ ]*|[{_UPPER}][\w'’-]*[ ]*){{1,6}}
        {_UNIT}*"""
)
_PO_BOX = _compile(
    r"""\b(?i:P\.?[ ]?O\.?[ ]?Box|Post[ ]Office[ ]Box|Apartado(?:[ ]Postal|[ ]A[ée]reo)?
        |Caixa[ ]Postal|Bo[îi]te[ ]Postale)[ ]*\#?[ ]*\d{1,8}\b|\bB\.?P\.?[ ]\d{1,6}\b"""
)
_COLONIA = _compile(rf"\b(?i:col\.|colonia)[ ]+{_ROMANCE_NAME_WORDS}")
_LONE_UNIT = _compile(
    r"""\b(?i:apt|apartment|unit|suite|ste|trailer|depto|dpto|departamento|apto|apartamento
        |appartement|appt)\.?[ ]*(?:\#|No\.?|n[º°])?[ ]*(?:\d[A-Za-z0-9-]{0,5}|[A-Z](?:-?\d{1,4})?)
        (?![\w:])"""
)

_PLOT_WORD = r"(?i:lote|lt|manzana|mz|mza|casa|solar|parcela|bloque|block|pasaje|sector)"
# Plots and houses without a street number: "Lote 5 Manzana 3", "casa 23, pasaje Los Olivos".
_PLOT = _compile(
    rf"""\b{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        (?:,?[ ]+{_PLOT_WORD}\.?[ ]*(?:\#|n[º°o]\.?)?[ ]*\d{{1,4}}[A-Za-z]?(?![\w])
        |,?[ ]+(?i:pasaje|calle|callej[óo]n|avenida|senda|residencial|urbanizaci[óo]n|travessa
        |rua|vila|quadra)[ ]+{_ROMANCE_NAME_WORDS})+"""
)
# A place on a road given by its kilometre: "Km 14 carretera a Masaya".
_KILOMETRE = _compile(
    rf"""\b(?i:km|kil[óo]metro)\.?[ ]*\d{{1,4}}(?:[.,]\d{{1,3}})?[ ]+(?i:de[ ]+la[ ]+|del[ ]+|da[ ]+)?
        (?i:carretera|autopista|rodovia|estrada|camino|ruta|route|highway)(?![\w])
        (?:[ ]+(?i:a|al|hacia|para|to)(?![\w]))?(?:[ ]+[{_UPPER}][\w'’-]*){{0,3}}"""
)


def find_addresses(text: str) -> Iterator[PatternMatch]:
    """Street addresses with a house number, apartments, P.O. boxes and colonias."""
    patterns = (_STREET_ADDRESS, _ROMANCE_STREET, _FRENCH_STREET, _PO_BOX, _COLONIA, _LONE_UNIT,
                _PLOT, _KILOMETRE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is _STREET_ADDRESS and all(
                fold(word) in LEGAL_AND_AGENCY_WORDS or fold(word) in PLACE_NAMES
                for word in match.group("street").split()
            ):
                continue  # "2020 Superior Court", "3 Family Court": a court, not a street
            end = match.end()
            while end > match.start() and text[end - 1] in " ,":
                end -= 1
            yield PatternMatch(ADDRESS, match.start(), end, TIER_SPECIFIC)


# ---------------------------------------------------------------------------
# Names found through cue words
# ---------------------------------------------------------------------------

_ENGLISH_TITLE_CUE = re.compile(rf"(?<![\w.])(?:{_TITLES_CASE_SENSITIVE})\.?[ \t]+")
_ROMANCE_TITLE_CUE = re.compile(rf"(?<![\w.])(?i:{_TITLES_ANY_CASE})\.?[ \t]+")
_FIRST_NAME_TITLE_CUE = re.compile(rf"(?<![\w.])(?i:{_FIRST_NAME_TITLES})\.?[ \t]+")
_SEPARATOR = r"[ \t]*(?:[,:][ \t]*|\([ \t]*)?"
# Only where the relation word ends matters, so "her ex-", "the client's" need no matching.
_RELATION = re.compile(
    rf"(?i:\b{RELATION_PATTERN}(?:[ \t]+(?:especial|special|federal))?)(?![\w])"
    rf"{_SEPARATOR}(?=[\"“«'‘]|[ \t]|[^\W\d_])[ \t]*"
)
_NAME_CUE = re.compile(rf"(?i:\b{NAME_CUE_PATTERN})(?![\w]){_SEPARATOR}[ \t]*")
_PERSON_NOUN = re.compile(
    rf"(?i:\b(?:the|a|an|el|la|un|una|le|o|um|uma)[ \t]+(?:[\w]+[ \t]+)?{PERSON_NOUN_PATTERN})"
    rf"[ \t]*,[ \t]*"
)
_WEAK_NAME_CUE = re.compile(rf"(?i:\b{WEAK_NAME_CUE_PATTERN})[ \t]+")
# The agent of what was done to the survivor: "recruited by Marek", "trazida por Rosângela".
_ENGLISH_AGENT = re.compile(
    r"(?i:\b(?:recruited|sold|trafficked|brought|taken|held|kept|controlled|exploited|abused"
    r"|threatened|beaten|raped|pimped|smuggled|lured|groomed|harassed|assaulted|attacked"
    r"|watched|guarded|tricked|deceived|coerced|forced|transported|driven|picked[ \t]+up"
    r"|locked[ \t]+up|hit|introduced|raised|sent|housed|hidden|moved))[ \t]+by[ \t]+"
)
_ROMANCE_AGENT = re.compile(
    r"(?i:\b[^\W\d_]{3,}(?:ad[oa]s?|id[oa]s?|[ée]e?s?))"
    r"(?:[ \t]+(?i:a|al|para|en|em|à|au|hacia)[ \t]+[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][^\W\d_]+)?)?"
    r"[ \t]+(?i:por|par|pelo|pela)[ \t]+"
)
_FOLLOWING_WORD = re.compile(r"[ \t]+([a-z]+)")
# Strong naming cues after which even a day word is a name ("goes by sunday").
_DAY_NAME_CUE = re.compile(
    r"(?i:\b(?:goes[ \t]+by|known[ \t]+as|a\.?k\.?a\.?|alias|nicknamed|named))[ \t]+"
    r"(?P<day>[^\W\d_]+)(?![\w'’-])"
)
_DAY_NOT_NAME_AFTER = re.compile(
    r"[ \t]+(?i:morning|night|afternoon|evening|school|service|mass|mornings|nights)\b"
)
# A lower-case word that no dictionary knows, as the subject of a verb: "toño said".
_LOWER_SUBJECT = re.compile(
    r"(?m:^|(?<=[.!?;:\n])|\b(?i:and|then|but|because|that|when|until|after|before|so)(?=[ \t]))"
    r"[ \t]*(?P<name>[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{2,})[ \t]+"
    r"(?=(?:said|says|told|tells|drove|took|takes|asked|kept|brought|threatened|forced|gave"
    r"|sent|paid|picked|hit|yelled|wanted|made|called|came|left|started|also|would|never)\b)"
)
_CASE_CAPTION = re.compile(rf"(?<=[\w.])[ \t]+{CASE_CAPTION_PATTERN}[ \t]+")
_CLOSING = re.compile(
    r"(?im:^[ \t]*(?:thanks|thank\s+you|best|regards|best\s+regards|kind\s+regards|sincerely"
    r"|cheers|saludos|saludos\s+cordiales|atentamente|gracias|cordialement|bien\s+[àa]\s+vous"
    r"|merci|atenciosamente|obrigad[oa]|abra[çc]os)[ \t]*[,!.]?[ \t]*\n[ \t]*)"
)
_NAME_LABELS = (
    r"(?:(?:full|client'?s?|victim'?s?|survivor'?s?|legal|first|last|given|family|maiden"
    r"|trafficker'?s?|employer'?s?|mother'?s?|father'?s?)[ \t]+)?name(?:[ \t]*\([^)\n]{0,20}\))?"
    r"|nombre(?:[ \t]+(?:completo|de[ \t]+la[ \t]+v[íi]ctima|del[ \t]+cliente|real))?|nombres"
    r"|apellidos?|nom(?:[ \t]+de[ \t]+famille|[ \t]+complet)?|pr[ée]noms?|nome(?:[ \t]+completo"
    r"|[ \t]+dele|[ \t]+dela)?|sobrenome|alias|a\.?k\.?a\.?|aka"
)
_PERSON_LABELS = (
    r"client[ea]?|clienta|victim[ea]?|v[íi]ctima|v[íi]tima|survivor|sobreviviente|employer"
    r"|empleador[a]?|employeur|empregador|patr[óoã]n|patr[ãa]o|trafficker|alleged\s+trafficker"
    r"|tratante|presunto\s+tratante|intermedi[áa]ri[oa]|contact|contacto|contato|parents?"
    r"|mother|father|madre|padre|m[èe]re|p[èe]re|m[ãa]e|pai|kids|children|child|hijos|hijas"
    r"|filhos|enfants|from|de|to|para|attn|recruiter|reclutador|recrutador|witness|testigo"
    r"|referred\s+by|emergency\s+contact|guardian|tutor[a]?|husband|wife|esposo|esposa|marido"
    r"|advocate|case\s+manager|caseworker|abogad[oa]|lawyer|attorney|officer|agent|detective"
    r"|judge|juez"
)
_FIELD_LABEL = re.compile(
    rf"(?im:(?:^|(?<=[\n;|(•]))[ \t]*[-*•]?[ \t]*(?:(?P<name_label>{_NAME_LABELS})"
    rf"|(?P<person_label>{_PERSON_LABELS}))[ \t]*(?:-|–|:|\.-)[ \t]*)"
)
_INLINE_NAME_LABEL = re.compile(rf"(?i:\b(?:{_NAME_LABELS})[ \t]*:[ \t]*)")
_QUOTE_OPEN = "\"“«‘'"
_QUOTE_CLOSE = {"\"": "\"", "“": "”", "«": "»", "‘": "’", "'": "'"}
_QUOTED = re.compile(r"(?<![\w])([\"“”«‘]|')[ ]?([^\"“”«»‘’'\n]{1,40}?)[ ]?([\"“”»’]|')(?![\w])")
_QUOTE_ARTICLES = _words("el la los las big lil little the o a le un una um uma tal")
_SPANISH_NICKNAME = re.compile(
    r"(?i:\b(?:el|la)[ \t]+)(?P<nickname>[^\W\d_]+)(?![\w])"
)
_CJK_NAME = re.compile(r"(?<![\u3400-\u9fff\uac00-\ud7af])(?:[\u3400-\u9fff]{2,4}|[\uac00-\ud7af]{2,4})"
                       r"(?![\u3400-\u9fff\uac00-\ud7af])")
_HOUSEHOLD = re.compile(
    r"(?:\b(?i:the)[ \t]+(?P<before>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)[ \t]+"
    r"(?i:family|household|brothers|sisters|couple)\b"
    r"|\b(?i:familia|fam[íi]lia|famille|los|les)[ \t]+(?P<after>[A-Z][\w'’-]+))"
)
_NAME_BEFORE_ROLE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]+[ \t]){0,2}[A-Z][\w'’-]+|(?:[A-Za-z]\.){2,3})[ \t]*"
    r"\((?i:client[ea]?|clienta|survivor|victim|v[íi]ctima|v[íi]tima|victime|sobreviviente)\b"
)


def _quoted_span(text: str, position: int) -> tuple[int, int] | None:
    """Offsets of the content of a short quotation opening at position, or None."""
    opening = text[position : position + 1]
    if not opening or opening not in _QUOTE_OPEN:
        return None
    if position > 0 and text[position - 1] not in " \t(:,;—–-\n":
        return None  # a closing quote or an apostrophe ("amiga\"", "Attorney's")
    closing = _QUOTE_CLOSE[opening]
    end = text.find(closing, position + 1, position + 42)
    if opening == "“" and end == -1:
        end = text.find("\"", position + 1, position + 42)
    if end == -1 or "\n" in text[position:end]:
        return None
    start = position + 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return (start, end) if start < end else None


def _nickname_content(text: str, start: int, end: int, any_case: bool) -> tuple[int, int] | None:
    """The name part of a quoted nickname, dropping a leading article ("El Flaco" -> "Flaco")."""
    words = list(_WORD.finditer(text, start, end))
    if not 1 <= len(words) <= 4 or len(" ".join(w.group() for w in words)) < end - start - 4:
        return None
    if any(char.isdigit() for char in text[start:end]):
        return None
    while len(words) > 1 and fold(words[0].group()) in _QUOTE_ARTICLES:
        words.pop(0)
    had_article = len(words) < len(_WORD.findall(text, start, end))
    content = [word.group() for word in words]
    if all(fold(word) in STOP_WORDS or fold(word) in PLACE_NAMES for word in content):
        return None
    if not had_article and all(is_never_a_name(word) for word in content):
        return None  # "la Jefa" is a nickname, a bare "madame" is a role
    if not any_case and not all(is_capitalised(word) or word.isupper() for word in content):
        return None
    first = words[0].start()
    last = end if text[words[-1].end() : end] == "." else words[-1].end()
    return first, last


def _names_after(
    text: str,
    cue: re.Pattern[str],
    mode: str,
    common_words: frozenset[str],
    tier: int = TIER_CUE,
) -> Iterator[PatternMatch]:
    """Names (or quoted nicknames in any case) that directly follow each match of a cue."""
    for match in cue.finditer(text):
        position = match.end()
        quoted = _quoted_span(text, position)
        if quoted is not None:
            nickname = _nickname_content(text, *quoted, any_case=True)
            if nickname is not None:
                yield PatternMatch(PERSON, *nickname, tier)
            continue
        after_title = cue in (_ENGLISH_TITLE_CUE, _ROMANCE_TITLE_CUE, _FIRST_NAME_TITLE_CUE)
        end = take_name(text, position, mode, common_words, after_title=after_title)
        if end is not None:
            start = position
            title = _TITLE.match(text, position)
            if title is not None:
                start = title.end()
            if start < end:
                yield PatternMatch(PERSON, start, end, tier)


_NICKNAME_EQUALS = re.compile(r"[\"“]([^\"“”\n]{1,30})[\"”][ \t]*=[ \t]*")


_NICKNAME_INSIDE_NAME = re.compile(
    r"(?<![\w'’])(?P<first>[A-Z][^\W\d_]+)[ \t]+[\"“'‘](?P<nickname>[^\"“”'’\n]{1,20})[\"”'’]"
    r"[ \t]+(?P<last>[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)?)"
)


def _names_around_nicknames(text: str) -> Iterator[PatternMatch]:
    """A nickname quoted inside a full name: Marcus "Smoke" Bell."""
    for match in _NICKNAME_INSIDE_NAME.finditer(text):
        if is_never_a_name(match.group("first")) or is_never_a_name(match.group("last")):
            continue
        for group in ("first", "nickname", "last"):
            yield PatternMatch(PERSON, match.start(group), match.end(group), TIER_CUE)


def _equated_nicknames(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A quoted nickname set equal to a name: '"flaco" = josé luis cárdenas'."""
    for match in _NICKNAME_EQUALS.finditer(text):
        end = take_name(text, match.end(), MODE_ANY, common_words)
        if end is None:
            continue
        nickname = _nickname_content(text, match.start(1), match.end(1), any_case=True)
        if nickname is not None:
            yield PatternMatch(PERSON, *nickname, TIER_CUE)
        yield PatternMatch(PERSON, match.end(), end, TIER_CUE)


def _field_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Values of name fields ("Name: juan perez", "Nom : DUPONT") and people listed after a label."""
    labels = list(_FIELD_LABEL.finditer(text))
    labels += [match for match in _INLINE_NAME_LABEL.finditer(text)
               if not any(label.start() <= match.start() < label.end() for label in labels)]
    for match in labels:
        is_name_field = match.re is _INLINE_NAME_LABEL or match.group("name_label") is not None
        position = match.end()
        if is_name_field:
            found = _field_value(text, position)
        else:
            end = take_name(text, position, MODE_CAPITALISED, common_words)
            found = (position, end) if end is not None else None
        while found is not None:
            yield PatternMatch(PERSON, found[0], found[1], TIER_CUE)
            found = _next_listed_name(text, found[1], common_words)


def _field_value(text: str, position: int) -> tuple[int, int] | None:
    """The name written after a name label: up to six words, stopping at a non-name."""
    line_end = len(text)
    for stop in ("\n", ";", "|", "(", "<"):
        index = text.find(stop, position)
        if index != -1:
            line_end = min(line_end, index)
    end = position
    words = 0
    for match in re.finditer(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?|,|\S+", text[position:line_end]):
        token = match.group()
        if token == ",":
            if words == 1 and text[position : position + match.start()].strip().isupper():
                continue  # "ABUBAKAR, Hauwa": surname first
            break
        bare = token.rstrip(".")
        if not _WORD.fullmatch(bare) or (token.endswith(".") and len(bare) > 1):
            if _WORD.fullmatch(bare) and words < 6 and not is_never_a_name(bare):
                end = position + match.start() + len(bare)
            break
        if fold(bare) in NON_NAME_VALUES or (is_never_a_name(bare) and fold(bare) not in NAME_PARTICLES):
            break
        end = position + match.end()
        words += 1
        if words == 6:
            break
    return (position, end) if end > position else None


def _next_listed_name(
    text: str, position: int, common_words: frozenset[str]
) -> tuple[int, int] | None:
    """A further name in a list: "Crystal and Wayne", "Jayden, 7, and Ashley"."""
    link = re.match(r"(?:,[ \t]*\d{1,2}[ \t]*)?,?[ \t]+(?i:and|y|e|et|&)[ \t]+", text[position:])
    if link is None:
        return None
    start = position + link.end()
    end = take_name(text, start, MODE_CAPITALISED, common_words)
    return (start, end) if end is not None else None


def _quoted_nicknames(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Capitalised nicknames in quotes, unless the word is a common English word."""
    for match in _QUOTED.finditer(text):
        start, end = match.start(2), match.end(2)
        words = _WORD.findall(text, start, end)
        article = bool(words) and fold(words[0]) in {"el", "la"} and len(words) <= 3
        nickname = _nickname_content(text, start, end, any_case=article)
        if nickname is None:
            continue
        name_words = _WORD.findall(text, *nickname)
        if len(name_words) == 1 and not article:
            word = name_words[0]
            if is_common_word(word, common_words) and not is_listed_name(word):
                continue
        yield PatternMatch(PERSON, *nickname, TIER_CUE)


def _spanish_nicknames(text: str) -> Iterator[PatternMatch]:
    """Nicknames made of an article and a describing word ("el güero", "la flaca")."""
    for match in _SPANISH_NICKNAME.finditer(text):
        if fold(match.group("nickname")) in SPANISH_NICKNAMES:
            yield PatternMatch(PERSON, match.start("nickname"), match.end("nickname"), TIER_CUE)


def _dotted_initials(text: str) -> Iterator[PatternMatch]:
    """Initials used as a name ("J.A.", "M. R."), unless they are an abbreviation or a code."""
    for match in _DOTTED_INITIALS.finditer(text):
        initials = match.group().strip()
        if fold(initials.replace(" ", "")) in DOTTED_ABBREVIATIONS:
            continue
        end = match.start() + len(initials)
        if re.match(r"[ \t]*(?:§|\d)", text[end:]) or re.search(r"\d[ \t]*$", text[:match.start()]):
            continue  # "18 U.S.C. § 1595", "La. R.S. 15:539.3": a code, not a person
        yield PatternMatch(PERSON, match.start(), end, TIER_CUE)


def _household_names(text: str) -> Iterator[PatternMatch]:
    """Family names used for a household ("the Al-Qahtani household", "la familia Pérez")."""
    for match in _HOUSEHOLD.finditer(text):
        group = "before" if match.group("before") else "after"
        words = match.group(group).split()
        if any(is_never_a_name(word) or fold(word) in PLACE_NAMES for word in words):
            continue
        yield PatternMatch(PERSON, match.start(group), match.end(group), TIER_CUE)


def _names_before_role(text: str) -> Iterator[PatternMatch]:
    """A name followed by its role in brackets ("Precious (client)", "m.g. (client)")."""
    for match in _NAME_BEFORE_ROLE.finditer(text):
        words = _WORD.findall(match.group("name"))
        while words and is_never_a_name(words[0]):
            words.pop(0)
        if not words or any(word.isupper() and len(word) > 1 for word in words):
            continue
        name = " ".join(words)
        start = match.end("name") - len(name)
        if text[start : match.end("name")] != name:
            start = match.start("name")
        yield PatternMatch(PERSON, start, match.end("name"), TIER_CUE)


_HONORIFIC_AFTER = re.compile(
    r"(?<![\w'’-])(?P<name>[^\W\d_]{2,}(?:[-'’][^\W\d_]+)?)[ \t]+"
    r"(?:bhai|Bhai|bhaiya|bhaya|ji|Ji|jee|anna|akka|didi|Didi|dada|sahib|Sahib|saab|apa|bhabhi"
    r"|aunty|auntie|uncle)(?![\w'’-])"
)


def _names_before_honorific(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A name followed by a South Asian honorific or a kin word of address ("Mizan bhai")."""
    for match in _HONORIFIC_AFTER.finditer(text):
        name = match.group("name")
        if is_never_a_name(name) or (is_common_word(name, common_words) and not is_listed_name(name)):
            continue
        yield PatternMatch(PERSON, match.start("name"), match.end("name"), TIER_CUE)


def _cjk_names(text: str) -> Iterator[PatternMatch]:
    """Short runs of Chinese or Korean characters: in these narratives, a person's name."""
    for match in _CJK_NAME.finditer(text):
        yield PatternMatch(PERSON, match.start(), match.end(), TIER_CUE)


def _day_word_names(text: str) -> Iterator[PatternMatch]:
    """A day word used as a name after a strong naming cue ("goes by sunday")."""
    for match in _DAY_NAME_CUE.finditer(text):
        if fold(match.group("day")) not in WEEKDAYS:
            continue
        if _DAY_NOT_NAME_AFTER.match(text, match.end()):
            continue
        yield PatternMatch(PERSON, match.start("day"), match.end("day"), TIER_SPECIFIC)


def _agent_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """The person by whom something was done ("recruited by Marek"), checked like a model guess.

    In Spanish, French and Portuguese the name after "por"/"par" counts as cued when it has
    two words or a listed name, since the preposition alone would make it look like a place.
    """
    for match in _ENGLISH_AGENT.finditer(text):
        end = take_name(text, match.end(), MODE_CAPITALISED, common_words)
        if end is None:
            continue
        following = _FOLLOWING_WORD.match(text, end)
        if following is not None and fold(following.group(1)) not in STOP_WORDS and is_common_word(
            following.group(1), common_words
        ):
            continue  # a name used as a modifier: "recruited by Craigslist ads"
        yield PatternMatch(PERSON, match.end(), end, TIER_MODEL)
    for match in _ROMANCE_AGENT.finditer(text):
        end = take_name(text, match.end(), MODE_CAPITALISED, common_words)
        if end is None:
            continue
        words = _WORD.findall(text, match.end(), end)
        cued = len(words) > 1 or any(is_listed_name(word) for word in words)
        yield PatternMatch(PERSON, match.end(), end, TIER_CUE if cued else TIER_MODEL)


def _lower_case_subjects(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """A lower-case word outside every dictionary as the subject of a verb ("toño said")."""
    for match in _LOWER_SUBJECT.finditer(text):
        start = match.start("name")
        end = _name_word(text, start, MODE_ANY, common_words)
        if end != match.end("name") or fold(match.group("name")) in PLACE_NAMES:
            continue
        yield PatternMatch(PERSON, start, end, TIER_CUE)


def find_cued_names(text: str, common_words: frozenset[str]) -> Iterator[PatternMatch]:
    """Names signalled by a title, a relation, a naming verb, a form field, quotes or initials."""
    yield from _names_after(text, _ENGLISH_TITLE_CUE, MODE_LISTED, common_words)
    yield from _names_after(text, _ROMANCE_TITLE_CUE, MODE_LISTED, common_words)
    # Any word after "doña" or "madam" is a first name, even one that is also an English word.
    yield from _names_after(text, _FIRST_NAME_TITLE_CUE, MODE_ANY, frozenset())
    yield from _names_after(text, _RELATION, MODE_LISTED, common_words)
    yield from _names_after(text, _NAME_CUE, MODE_ANY, common_words)
    yield from _names_after(text, _PERSON_NOUN, MODE_CAPITALISED, common_words, TIER_PERSON_NOUN)
    yield from _names_after(text, _WEAK_NAME_CUE, MODE_LISTED, common_words)
    yield from _names_after(text, _CASE_CAPTION, MODE_CAPITALISED, common_words)
    yield from _names_after(text, _CLOSING, MODE_CAPITALISED, common_words)
    yield from _field_names(text, common_words)
    yield from _quoted_nicknames(text, common_words)
    yield from _spanish_nicknames(text)
    yield from _equated_nicknames(text, common_words)
    yield from _names_around_nicknames(text)
    yield from _dotted_initials(text)
    yield from _household_names(text)
    yield from _names_before_role(text)
    yield from _cjk_names(text)
    yield from _names_before_honorific(text, common_words)
    yield from _day_word_names(text)
    yield from _agent_names(text, common_words)
    yield from _lower_case_subjects(text, common_words)


def find_structured(text: str, common_words: frozenset[str] = frozenset()) -> list[PatternMatch]:
    """Every contact detail, address, birth date and identifier the patterns find in text."""
    recognisers: tuple[Callable[[str], Iterator[PatternMatch]], ...] = (
        find_emails, find_phones, find_identifiers, find_birth_dates, find_addresses,
    )
    matches = [match for recogniser in recognisers for match in recogniser(text)]
    matches.extend(find_handles(text, common_words))
    return matches
