"""Original demo news for a fresh Khabar site, in English and Arabic.

Everything here was written for Khabar: the people, officials and quotes are
fictional. Stories are assembled from per-section story kinds with places and
projects filled in, so sixty articles read as sixty different stories.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

PLACES = [
    ("Basra", "البصرة"),
    ("Mosul", "الموصل"),
    ("Erbil", "أربيل"),
    ("Najaf", "النجف"),
    ("Kirkuk", "كركوك"),
    ("Anbar", "الأنبار"),
    ("Dhi Qar", "ذي قار"),
    ("Babylon", "بابل"),
    ("Diyala", "ديالى"),
    ("Karbala", "كربلاء"),
    ("Sulaymaniyah", "السليمانية"),
    ("Baghdad", "بغداد"),
]

SECTIONS = [
    # slug, English title, English description, Arabic title, Arabic description
    (
        "iraq",
        "Iraq News",
        "Politics, provinces and public services across Iraq.",
        "أخبار العراق",
        "السياسة والمحافظات والخدمات العامة في أنحاء العراق.",
    ),
    ("business", "Business", "Markets, trade, energy and jobs.", "اقتصاد", "الأسواق والتجارة والطاقة وفرص العمل."),
    (
        "culture",
        "Culture",
        "Books, music, heritage and the people who keep them alive.",
        "ثقافة",
        "الكتب والموسيقى والتراث ومن يحافظون عليها.",
    ),
]

# name (en), name (ar), role (en), role (ar), kind
AUTHORS = [
    ("Layla Hassan", "ليلى حسن", "Baghdad correspondent", "مراسلة بغداد", "staff"),
    ("Karim Al-Saadi", "كريم الساعدي", "Political editor", "محرر الشؤون السياسية", "staff"),
    ("Noor Abdulrahman", "نور عبد الرحمن", "Business reporter", "مراسلة اقتصادية", "staff"),
    ("Yusuf Talabani", "يوسف طالباني", "Erbil correspondent", "مراسل أربيل", "staff"),
    ("Hiba Jawad", "هبة جواد", "Culture writer", "كاتبة ثقافية", "staff"),
    ("Ahmed Mahdi", "أحمد مهدي", "Basra correspondent", "مراسل البصرة", "staff"),
    ("Sara Khoury", "سارة خوري", "Data journalist", "صحفية بيانات", "staff"),
    ("Omar Khalil", "عمر خليل", "Security analyst", "محلل أمني", "contributor"),
    (
        "Dr. Rana Fadhil",
        "د. رنا فاضل",
        "Economist, University of Baghdad",
        "خبيرة اقتصادية، جامعة بغداد",
        "contributor",
    ),
    ("Mustafa Haddad", "مصطفى حداد", "Heritage architect", "معماري مختص بالتراث", "contributor"),
]

CREDITS = [
    ("Photo courtesy of the {place} Provincial Council", "الصورة بإذن من مجلس محافظة {place}"),
    ("Photo via Khabar Agency", "الصورة عبر وكالة خبر"),
    ("Photo courtesy of the Ministry of Water Resources", "الصورة بإذن من وزارة الموارد المائية"),
    ("Photo by Layla Hassan for Khabar", "تصوير ليلى حسن لخبر"),
    ("Photo via the {place} Chamber of Commerce", "الصورة عبر غرفة تجارة {place}"),
]


@dataclass
class StoryKind:
    section: str
    headline: tuple[str, str]
    standfirst: tuple[str, str]
    paragraphs: list[tuple[str, str]]
    subheading: tuple[str, str]
    more: list[tuple[str, str]]
    quote: tuple[str, str]
    speaker: tuple[str, str]
    speaker_role: tuple[str, str]
    topics: list[tuple[str, str]]
    facts: list[tuple[str, str]] = field(default_factory=list)


STORY_KINDS = [
    StoryKind(
        "iraq",
        ("{place} council approves a new water treatment plant", "مجلس {place} يقرّ محطة جديدة لمعالجة المياه"),
        (
            "The plant is meant to end summer shortages for {people} residents by 2028.",
            "تهدف المحطة إلى إنهاء شح المياه صيفاً لـ{people} من السكان بحلول عام 2028.",
        ),
        [
            (
                "Members of the {place} provincial council voted on Tuesday to fund a water treatment plant on the"
                " edge of the city, after three summers in which taps in several districts ran dry for days.",
                "صوّت أعضاء مجلس محافظة {place} يوم الثلاثاء على تمويل محطة لمعالجة المياه عند أطراف المدينة، بعد"
                " ثلاثة صيوف جفّت فيها الحنفيات في عدة أحياء لأيام متتالية.",
            ),
            (
                "The project will cost about {amount} billion dinars and draw on both the provincial budget and a"
                " federal reconstruction fund, according to the council's finance committee.",
                "ستبلغ كلفة المشروع نحو {amount} مليار دينار، تُموَّل من موازنة المحافظة ومن صندوق اتحادي لإعادة"
                " الإعمار، بحسب اللجنة المالية في المجلس.",
            ),
        ],
        ("Residents wait and see", "السكان يترقبون"),
        [
            (
                "In the market streets near the river, shopkeepers said they had heard similar promises before."
                " Several said they now buy water from tankers at up to five times the public price.",
                "في شوارع السوق القريبة من النهر، قال أصحاب المحال إنهم سمعوا وعوداً مشابهة من قبل، وأكد عدد منهم أنهم"
                " يشترون المياه من الصهاريج بما يصل إلى خمسة أضعاف السعر الرسمي.",
            ),
            (
                "Engineers from the water directorate said construction could begin within six months if the"
                " tender process is not delayed.",
                "وقال مهندسون في مديرية الماء إن أعمال البناء قد تبدأ خلال ستة أشهر إذا لم تتأخر إجراءات المناقصة.",
            ),
        ],
        (
            "We will publish every stage of the tender so that people can follow their money.",
            "سننشر كل مراحل المناقصة كي يتابع الناس أين تذهب أموالهم.",
        ),
        ("Huda Kareem", "هدى كريم"),
        ("head of the council's services committee", "رئيسة لجنة الخدمات في المجلس"),
        [("Water", "المياه"), ("Public services", "الخدمات العامة")],
        [
            ("Capacity: 120,000 cubic metres a day", "الطاقة: 120 ألف متر مكعب يومياً"),
            ("Planned opening: 2028", "موعد التشغيل المتوقع: 2028"),
        ],
    ),
    StoryKind(
        "iraq",
        ("Schools in {place} reopen after summer repairs", "مدارس {place} تفتح أبوابها بعد ترميمات الصيف"),
        (
            "Forty buildings were repaired, but teachers say classes remain crowded.",
            "رُمّمت أربعون بناية، لكن المعلمين يقولون إن الصفوف ما زالت مكتظة.",
        ),
        [
            (
                "Pupils in {place} returned on Sunday to schools where roofs, windows and washrooms had been repaired"
                " over the summer holiday, the provincial education directorate said.",
                "عاد التلاميذ في {place} يوم الأحد إلى مدارس رُمّمت سقوفها ونوافذها ودورات مياهها خلال العطلة الصيفية،"
                " بحسب مديرية التربية في المحافظة.",
            ),
            (
                "Teachers welcomed the work but said many classrooms still hold more than fifty children.",
                "ورحّب المعلمون بالأعمال، لكنهم قالوا إن كثيراً من الصفوف ما زالت تضم أكثر من خمسين تلميذاً.",
            ),
        ],
        ("A double shift", "الدوام المزدوج"),
        [
            (
                "About a third of the province's schools still share their buildings between a morning and an"
                " afternoon shift, shortening the school day for both.",
                "ولا يزال نحو ثلث مدارس المحافظة يتقاسم أبنيته بين دوام صباحي وآخر مسائي، ما يقصّر اليوم الدراسي"
                " للطرفين.",
            ),
        ],
        (
            "Repairs are welcome, but what we need most are new schools.",
            "الترميم مرحّب به، لكن حاجتنا الأكبر هي مدارس جديدة.",
        ),
        ("Abbas Jaber", "عباس جابر"),
        ("a mathematics teacher", "مدرّس رياضيات"),
        [("Education", "التعليم"), ("Public services", "الخدمات العامة")],
    ),
    StoryKind(
        "iraq",
        (
            "Parliament committee visits {place} to review flood defences",
            "لجنة برلمانية تزور {place} لمراجعة سدود الحماية من الفيضانات",
        ),
        (
            "Lawmakers inspected earth barriers that failed during last spring's rains.",
            "تفقّد النواب سواتر ترابية انهارت خلال أمطار الربيع الماضي.",
        ),
        [
            (
                "A delegation from parliament's agriculture and water committee spent two days in {place},"
                " walking the river embankments with local engineers and farmers.",
                "أمضى وفد من لجنة الزراعة والمياه النيابية يومين في {place}، تفقّد خلالهما ضفاف النهر برفقة مهندسين"
                " ومزارعين محليين.",
            ),
            (
                "Farmers showed the lawmakers fields that were under water for weeks in April.",
                "وأطلع المزارعون النواب على حقول بقيت مغمورة بالمياه أسابيع في نيسان.",
            ),
        ],
        ("Money for maintenance", "أموال للصيانة"),
        [
            (
                "The committee said it would ask for a separate line in next year's budget for maintaining flood"
                " defences, which are now paid for from emergency funds.",
                "وقالت اللجنة إنها ستطالب ببند مستقل في موازنة العام المقبل لصيانة سواتر الحماية، التي تُموَّل حالياً"
                " من أموال الطوارئ.",
            ),
        ],
        (
            "We cannot keep paying for the same embankment every spring.",
            "لا يمكننا أن ندفع ثمن الساتر نفسه كل ربيع.",
        ),
        ("Salim Obaidi", "سليم العبيدي"),
        ("a member of the committee", "عضو في اللجنة"),
        [("Parliament", "البرلمان"), ("Water", "المياه")],
    ),
    StoryKind(
        "business",
        (
            "Date exporters in {place} find new buyers in the Gulf",
            "مصدّرو التمور في {place} يجدون مشترين جدداً في الخليج",
        ),
        (
            "Exports rose by a {growth} this season, traders say, helped by new cold storage.",
            "ارتفعت الصادرات بنسبة {growth} هذا الموسم بحسب التجار، بفضل مخازن تبريد جديدة.",
        ),
        [
            (
                "Traders in {place} said this season's date exports were the strongest in a decade, with new"
                " contracts signed with wholesalers in Kuwait, Qatar and the Emirates.",
                "قال تجار في {place} إن صادرات التمور هذا الموسم هي الأقوى منذ عقد، مع عقود جديدة وُقّعت مع تجار جملة"
                " في الكويت وقطر والإمارات.",
            ),
            (
                "Two cold-storage warehouses opened this year allow growers to sell later in the season, when prices"
                " are higher.",
                "ويتيح مخزنا تبريد افتُتحا هذا العام للمزارعين البيع في وقت لاحق من الموسم حين تكون الأسعار أعلى.",
            ),
        ],
        ("Packaging is the bottleneck", "التغليف هو العقبة"),
        [
            (
                "Exporters said modern packaging lines remain scarce, and that much of the fruit still leaves the"
                " country in bulk to be packed abroad.",
                "وأشار المصدّرون إلى ندرة خطوط التغليف الحديثة، وإلى أن جزءاً كبيراً من التمور ما زال يغادر البلاد"
                " بالجملة ليُغلَّف في الخارج.",
            ),
        ],
        (
            "If we packed here, the profit and the jobs would stay here.",
            "لو غلّفنا هنا لبقيت الأرباح وفرص العمل هنا.",
        ),
        ("Jassim Al-Tamimi", "جاسم التميمي"),
        ("a date exporter", "مصدّر تمور"),
        [("Agriculture", "الزراعة"), ("Trade", "التجارة")],
        [("Main varieties: Barhi, Khadrawi, Zahdi", "أبرز الأصناف: البرحي والخضراوي والزهدي")],
    ),
    StoryKind(
        "business",
        ("Young founders in {place} open a shared workspace", "رواد أعمال شباب في {place} يفتتحون مساحة عمل مشتركة"),
        (
            "Sixty desks, reliable power and a mentoring programme for first-time founders.",
            "ستون مكتباً وكهرباء مستقرة وبرنامج إرشاد لأصحاب المشاريع الناشئة.",
        ),
        [
            (
                "A group of software developers and designers has opened a shared workspace in central {place},"
                " offering desks by the month and a generator that keeps the internet running during power cuts.",
                "افتتحت مجموعة من المطورين والمصممين مساحة عمل مشتركة وسط {place}، تؤجر المكاتب شهرياً وتوفر مولّداً"
                " يبقي الإنترنت متاحاً خلال انقطاع الكهرباء.",
            ),
            (
                "Half of the desks were taken in the first week, mostly by freelancers working for clients abroad.",
                "وحُجز نصف المكاتب في الأسبوع الأول، معظمها لعاملين مستقلين يعملون لعملاء في الخارج.",
            ),
        ],
        ("Banks remain cautious", "المصارف ما زالت حذرة"),
        [
            (
                "The founders said access to bank loans remains the biggest obstacle for small technology firms.",
                "وقال المؤسسون إن الحصول على قروض مصرفية يبقى العقبة الأكبر أمام شركات التقنية الصغيرة.",
            ),
        ],
        (
            "Talent is not the problem here. Electricity and credit are.",
            "المشكلة هنا ليست في المواهب، بل في الكهرباء والتمويل.",
        ),
        ("Zainab Latif", "زينب لطيف"),
        ("co-founder of the workspace", "إحدى مؤسسات المساحة"),
        [("Technology", "التقنية"), ("Jobs", "فرص العمل")],
    ),
    StoryKind(
        "business",
        (
            "Fuel prices steady in {place} as new refinery unit starts",
            "استقرار أسعار الوقود في {place} مع تشغيل وحدة تكرير جديدة",
        ),
        (
            "The unit adds capacity and should reduce imports of petrol, officials said.",
            "تضيف الوحدة طاقة إنتاجية ويُتوقع أن تقلل استيراد البنزين، بحسب مسؤولين.",
        ),
        [
            (
                "A new unit at the refinery serving {place} began production this week, adding capacity that"
                " officials said would ease queues at petrol stations during the summer peak.",
                "بدأت وحدة جديدة في المصفى الذي يخدم {place} الإنتاج هذا الأسبوع، ما يضيف طاقة قال مسؤولون إنها ستخفف"
                " الطوابير أمام محطات الوقود في ذروة الصيف.",
            ),
            (
                "Pump prices have not changed since the spring, and the oil ministry said it had no plans to raise"
                " them this year.",
                "ولم تتغير أسعار البيع في المحطات منذ الربيع، وقالت وزارة النفط إنها لا تنوي رفعها هذا العام.",
            ),
        ],
        ("Imports still needed", "الاستيراد ما زال ضرورياً"),
        [
            (
                "Economists cautioned that the country will keep importing refined products until several other"
                " projects are finished.",
                "وحذّر اقتصاديون من أن البلاد ستواصل استيراد المشتقات النفطية إلى حين إنجاز مشاريع أخرى.",
            ),
        ],
        (
            "Every litre refined at home is a dollar that does not leave the country.",
            "كل لتر يُكرَّر في الداخل دولار لا يغادر البلاد.",
        ),
        ("Rana Fadhil", "رنا فاضل"),
        ("an economist at the University of Baghdad", "خبيرة اقتصادية في جامعة بغداد"),
        [("Energy", "الطاقة"), ("Prices", "الأسعار")],
    ),
    StoryKind(
        "culture",
        ("Book fair in {place} draws record crowds", "معرض الكتاب في {place} يستقطب أعداداً قياسية"),
        (
            "Publishers from eleven countries took part; poetry and children's books sold out first.",
            "شارك ناشرون من أحد عشر بلداً، ونفدت كتب الشعر والأطفال أولاً.",
        ),
        [
            (
                "Visitors queued from the early morning on the last day of the {place} book fair, which organisers"
                " said welcomed more readers than in any previous year.",
                "اصطفّ الزوار منذ الصباح الباكر في اليوم الأخير لمعرض {place} للكتاب، الذي قال منظموه إنه استقبل قراءً"
                " أكثر من أي عام سابق.",
            ),
            (
                "Publishers said translated novels and children's books were in especially high demand.",
                "وقال ناشرون إن الروايات المترجمة وكتب الأطفال شهدت إقبالاً لافتاً.",
            ),
        ],
        ("Readers return to paper", "عودة القراء إلى الورق"),
        [
            (
                "Several young visitors said they read on their phones during the year but come to the fair to buy"
                " the books they want to keep.",
                "وقال عدد من الزوار الشباب إنهم يقرؤون على هواتفهم طوال العام، لكنهم يأتون إلى المعرض لشراء الكتب التي"
                " يريدون الاحتفاظ بها.",
            ),
        ],
        (
            "A city that reads is a city that argues, and that is a good thing.",
            "المدينة التي تقرأ مدينة تتحاور، وهذا أمر جيد.",
        ),
        ("Mahmoud Saeed", "محمود سعيد"),
        ("a novelist", "روائي"),
        [("Books", "الكتب"), ("Heritage", "التراث")],
    ),
    StoryKind(
        "culture",
        (
            "Restorers save painted ceilings of an old house in {place}",
            "مرمّمون ينقذون السقوف المزخرفة لبيت قديم في {place}",
        ),
        (
            "The house, built over a century ago, will open to visitors next spring.",
            "سيفتح البيت، الذي بُني قبل أكثر من قرن، أبوابه للزوار في الربيع المقبل.",
        ),
        [
            (
                "A team of restorers has spent eight months cleaning and consolidating the painted wooden ceilings of"
                " a merchant's house in the old quarter of {place}.",
                "أمضى فريق من المرمّمين ثمانية أشهر في تنظيف السقوف الخشبية المزخرفة وتثبيتها في بيت أحد التجار في"
                " الحي القديم من {place}.",
            ),
            (
                "Water damage had hidden much of the original colour, which the team uncovered layer by layer.",
                "وكانت أضرار المياه قد أخفت جزءاً كبيراً من الألوان الأصلية، التي كشفها الفريق طبقة بعد طبقة.",
            ),
        ],
        ("Training a new generation", "تدريب جيل جديد"),
        [
            (
                "Half of the team are recent graduates of the fine arts college, trained on the site.",
                "ونصف أعضاء الفريق من خريجي كلية الفنون الجميلة الجدد، تدرّبوا في موقع العمل.",
            ),
        ],
        (
            "These ceilings are documents. They tell us how people lived and what they found beautiful.",
            "هذه السقوف وثائق، تخبرنا كيف عاش الناس وما الذي رأوه جميلاً.",
        ),
        ("Mustafa Haddad", "مصطفى حداد"),
        ("the heritage architect leading the work", "المعماري المختص بالتراث الذي يقود العمل"),
        [("Heritage", "التراث"), ("Architecture", "العمارة")],
    ),
    StoryKind(
        "culture",
        ("Maqam musicians in {place} teach a free summer course", "موسيقيو المقام في {place} يقدّمون دورة صيفية مجانية"),
        (
            "Forty students learned the oud, the santur and the rules of the Iraqi maqam.",
            "تعلّم أربعون طالباً العزف على العود والسنطور وأصول المقام العراقي.",
        ),
        [
            (
                "Every afternoon for six weeks, a small hall in {place} filled with students carrying instruments"
                " almost as big as they are.",
                "على مدى ستة أسابيع، امتلأت قاعة صغيرة في {place} كل عصر بطلاب يحملون آلات تكاد تكون بحجمهم.",
            ),
            (
                "The course, run by volunteers, ended with a concert in which the students played alongside their"
                " teachers.",
                "واختُتمت الدورة، التي أدارها متطوعون، بحفل عزف فيه الطلاب إلى جانب أساتذتهم.",
            ),
        ],
        ("Keeping the tradition alive", "إحياء التقليد"),
        [
            (
                "The organisers hope to make the course a permanent school, and are looking for a building.",
                "ويأمل المنظمون أن تتحول الدورة إلى مدرسة دائمة، ويبحثون عن مبنى لها.",
            ),
        ],
        (
            "The maqam is learned by ear, from person to person. If we stop teaching, it stops.",
            "المقام يُتعلَّم بالسماع، من شخص إلى آخر. إن توقفنا عن التعليم توقف.",
        ),
        ("Farida Nouri", "فريدة نوري"),
        ("a santur player and teacher", "عازفة سنطور ومعلمة"),
        [("Music", "الموسيقى"), ("Heritage", "التراث")],
    ),
]


def fill(text: str, slots: dict[str, str]) -> str:
    return text.format(**slots)


def slots_for(rng: random.Random, place: str, language: str) -> dict[str, str]:
    if language == "ar":
        people = rng.choice(["مئات الآلاف", "نصف مليون", "أكثر من مليون"])
        growth = rng.choice(["الربع", "الثلث", "عشرين في المئة"])
    else:
        people = rng.choice(["hundreds of thousands of", "half a million", "more than a million"])
        growth = rng.choice(["quarter", "third", "fifth"])
    return {"place": place, "amount": str(rng.randint(40, 180)), "people": people, "growth": growth}


# --- Editions beyond English and Arabic ------------------------------------------
#
# Central Kurdish (ckb) and Persian (fa) have content of their own, written for those readers
# (content_ckb.py, content_fa.py), rather than templates filled in per place: a small edition of a
# few sections and a handful of stories. Sections, the writers' index and the plain pages share
# their slug with the other editions and are linked to them as translations; so are the stories
# that say ``translates`` (see builder._regional_article).


@dataclass
class Writer:
    slug: str  # an ASCII slug; a writer with the slug of another edition's writer is their translation
    name: str
    role: str
    bio: str
    kind: str = "staff"


@dataclass
class Story:
    section: str  # a slug of SECTIONS
    slug: str
    headline: str
    standfirst: str
    paragraphs: list[str]
    subheading: str
    more: list[str]
    quote: str
    speaker: str
    speaker_role: str
    topics: list[str]
    caption: str  # of the lead picture, made for the story
    credit: str
    writer: int  # index into EditionContent.writers
    hours_ago: int
    place: int  # index into PLACES: the dateline, and {place} in the text
    facts: list[str] = field(default_factory=list)
    # Index into STORY_KINDS: this story translates the English demo story of that kind (the first
    # one), takes its place, slug and translation key, and appears 50 minutes after it.
    translates: int | None = None


@dataclass
class EditionContent:
    language: str
    name: str  # in English, for the command's summary
    tagline: str
    sections: dict[str, tuple[str, str]]  # slug: (title, description)
    writers_title: str
    writers: list[Writer]
    places: list[str]  # PLACES in this language, same order
    key_facts: str
    pages: list[tuple[str, str, str, list]]  # slug, title, intro, body (the slugs of the English plain pages)
    stories: list[Story]
    picture_seed: int  # pictures are drawn from seeds picture_seed, picture_seed + 1, …
