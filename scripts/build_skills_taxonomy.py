#!/usr/bin/env python
"""Build ``marketplace/data/skills_taxonomy.json.gz`` (and ``marketplace/data/SOURCE.md``) from third-party skill data.

Usage::

    python scripts/build_skills_taxonomy.py [DATA_DIR]      # DATA_DIR defaults to ../shared/data next to the repo

The project reads only the committed output at run time (``marketplace/skill_vocabulary.py`` and
``matcher/taxonomy.py``); this script is the only thing that reads DATA_DIR. The output is deterministic: records
sorted by name, lists sorted, JSON with sorted keys, gzip with mtime 0 and no file name, so a rebuild from the same
data gives the same bytes.

Sources and the choices made:

* **Curated table** (``CURATED`` below): about 140 common tech skills, practices and soft skills with the names and
  spellings people write ("JS", "ECMAScript" -> JavaScript; "Postgres", "psql" -> PostgreSQL; "golang" -> Go;
  "k8s" -> Kubernetes; "DRF" -> Django REST framework; "C sharp" -> C#; "GCP" -> Google Cloud Platform ...), which
  parent they belong to (Django -> Python, PostgreSQL -> SQL, React -> JavaScript), and which source records they
  absorb: O*NET's "Oracle Java" / "Sun Microsystems Java" and ESCO's "Java (computer programming)" all become Java.
  The curated record wins every alias conflict. "py" is deliberately no alias (it is a file extension and a prefix).
* **O*NET 29.2 ``Technology Skills.txt``**: every distinct tool name ("Example", 8,768) is a skill; its category is
  its most frequent "Commodity Title"; ``hot`` / ``in_demand`` carry the Hot Technology / In Demand flags;
  ``onet_n`` is the number of occupations listing it (an IDF-like weight for scoring). Aliases are derived: the
  lower-case name, the name without a trailing acronym and the acronym ("Structured query language SQL" -> "sql",
  "structured query language"), the name without a known vendor prefix ("Atlassian JIRA" -> "jira",
  "The MathWorks MATLAB" -> "matlab"; skipped when what is left is an ordinary English word such as "Word" or
  "Access", which would then be found all over free text).
* **ESCO v1.1.1 ``skills_en.csv``**: only the digitalSkillsCollection (1,201 ICT skills) plus the skills whose
  reuseLevel is ``transversal`` or ``cross-sector`` (about 5,000 of 13,896 skills in all). These are the skills shared
  by many occupations (communication, teamwork, languages, project management, budgeting, ICT skills); the other
  ~9,000 are sector- or occupation-specific verb phrases ("finish shells", "tend spring making machine") that seldom
  appear verbatim in job ads, add little to matching across occupations and would triple the file. preferredLabel
  is the name (a label "X (computer programming)" also gets the alias "x"), altLabels are aliases, the category is
  the first ESCO skill group the skill belongs to, ``esco_type`` is skillType/reuseLevel and ``esco_n`` the number of
  ESCO occupations that list the skill. An ESCO skill whose label is a curated alias or an O*NET name is merged into
  that record; then only its altLabels that contain the record's name or a curated alias are kept (ESCO lists
  "Mocha" as an alternative label of JavaScript and "Subquery" of SQL, which would be wrong aliases).
* **skill-extractor 0.2.0 gazetteer** (MIT, optional: skipped when the file is absent): only used for extra
  spellings of names already in the taxonomy, when a gazetteer string has the same loose key (letters and digits run
  together) as exactly one name or curated alias ("node js", "scikit learn", "power bi"). It adds no new skills,
  since its provenance is undocumented.
* **Relations** (``related``, stored on the child, symmetric at run time): the curated parents; ESCO broader/narrower
  links between two selected skills (``broaderRelationsSkillPillar.csv``); and O*NET name prefixes ("React" ->
  "React Native", "Oracle Java" -> "Oracle Java Message Service JMS" hence Java). Commodity titles are kept as the
  category but not turned into relations: a commodity family holds hundreds of tools (Python, C++ and COBOL share
  one), far too loose for the 70 % "partial" credit.
* **Alias conflicts** are resolved by tier (curated < source names < derived names < acronyms/vendor-less names <
  ESCO altLabels < gazetteer), then by weight (occupation counts); an exact tie drops the alias from both records.
* **Ambiguous aliases**: a one-word alias that is an ordinary English word (it occurs in lower case at least twice
  in the O*NET task statements and ESCO descriptions, e.g. "react", "swift", "office") or has at most two letters
  is listed in ``notext``: it still resolves a skill name typed in a skill list, but it is never matched in free
  text in lower case; the record's ``cased`` forms ("React", "Go", "R", "PASS") are matched only as written. See
  ``marketplace/skill_vocabulary.py`` for the run-time context rules.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marketplace.skill_vocabulary import STOPWORDS, alias_key, loose_key, tokens  # noqa: E402

OUT_DIR = REPO / "marketplace" / "data"
OUT_FILE = OUT_DIR / "skills_taxonomy.json.gz"
SOURCE_FILE = OUT_DIR / "SOURCE.md"
FORMAT_VERSION = 1

# ---------------------------------------------------------------------------------------------------------------
# Curated table. One row: name, category, aliases, parents, and optional keyword fields:
#   cased="Go"        forms matched in free text only as written (ambiguous aliases)
#   notext="go"       aliases used for lookups but never matched in lower-case free text
#   absorbs="A|B"     O*NET tool names / ESCO preferred labels merged into this record
# Aliases are lower case, "|"-separated; the name itself is always an alias.
# ---------------------------------------------------------------------------------------------------------------
LANG = "Programming language"
WEB = "Web framework"
LIB = "Software library"
DB = "Database"
CLOUD = "Cloud platform"
DEVOPS = "DevOps and infrastructure"
AI = "Data science and AI"
PRACTICE = "Software engineering practice"
SOFT = "Soft skill"

# fmt: off
CURATED: list[tuple] = [
    # Programming and query languages
    ("Python", LANG, "python3|python 3|python2|python programming|python (computer programming)", "",
     dict(absorbs="Python (computer programming)")),
    ("JavaScript", LANG, "js|javascript|ecmascript|es6|es2015|vanilla js|vanilla javascript|java script", "",
     dict(cased="JS")),
    ("TypeScript", LANG, "typescript", "JavaScript"),
    ("Java", LANG, "java|core java|java se|j2se|java 8|java 11|java 17|java programming", "",
     dict(absorbs="Oracle Java|Sun Microsystems Java|Java (computer programming)")),
    ("C#", LANG, "c#|c sharp|csharp|visual c#|c# .net|c#.net", ".NET", dict(absorbs="Microsoft Visual C# .NET")),
    ("C++", LANG, "c++|cpp|c plus plus|c++11|c++14|c++17|c++20|modern c++", "C"),
    ("C", LANG, "c|c programming|c language|ansi c|embedded c", "",
     dict(cased="C", absorbs="American National Standards Institute ANSI C")),
    ("Go", LANG, "go|golang|go programming|go language|go lang", "", dict(cased="Go")),
    ("Rust", LANG, "rust|rust programming language|rust lang|rustlang", "", dict(cased="Rust")),
    ("Ruby", LANG, "ruby|ruby (computer programming)", ""),
    ("PHP", LANG, "php|php 7|php 8|hypertext preprocessor", "", dict(absorbs="Hypertext preprocessor PHP")),
    ("Kotlin", LANG, "kotlin", ""),
    ("Swift", LANG, "swift|swift (computer programming)|apple swift|swift programming", "",
     dict(cased="Swift", notext="swift")),
    ("Objective-C", LANG, "objective-c|objective c|objc|obj-c", "C"),
    ("Scala", LANG, "scala", ""),
    ("Perl", LANG, "perl", ""),
    ("R", LANG, "r|r programming|r language|rstats|gnu r", "", dict(cased="R")),
    ("MATLAB", LANG, "matlab", "", dict(absorbs="The MathWorks MATLAB")),
    ("SQL", LANG, "sql|structured query language|sql queries|sql programming", "",
     dict(absorbs="Structured query language SQL|Structure query language SQL")),
    ("T-SQL", LANG, "t-sql|tsql|transact-sql|transact sql", "SQL|Microsoft SQL Server",
     dict(absorbs="Microsoft transact-structural query language T-SQL|Transact-SQL")),
    ("PL/SQL", LANG, "pl/sql|plsql|pl sql", "SQL|Oracle Database", dict(absorbs="Oracle PL/SQL")),
    ("Bash", LANG, "bash|bash scripting|shell scripting|shell script|shell scripts|unix shell", "Linux",
     dict(absorbs="Shell script|UNIX Shell")),
    ("PowerShell", LANG, "powershell|windows powershell|microsoft powershell", "",
     dict(absorbs="Microsoft PowerShell|Microsoft Windows PowerShell")),
    ("Dart", LANG, "dart|dart programming", ""),
    ("Elixir", LANG, "elixir", ""),
    ("Erlang", LANG, "erlang", ""),
    ("Haskell", LANG, "haskell", ""),
    ("Lua", LANG, "lua", ""),
    ("F#", LANG, "f#|fsharp|f sharp", ".NET"),
    ("VB.NET", LANG, "vb.net|vbnet|visual basic .net|visual basic.net", ".NET",
     dict(absorbs="Microsoft Visual Basic.NET")),
    ("COBOL", LANG, "cobol|common business oriented language", "", dict(absorbs="Common business oriented language "
     "COBOL")),
    ("Fortran", LANG, "fortran|formula translation", "", dict(absorbs="Formula translation/translator FORTRAN")),
    ("Groovy", LANG, "groovy|apache groovy", "Java", dict(cased="Groovy", notext="groovy")),
    ("Clojure", LANG, "clojure", ""),
    ("HTML", "Markup language", "html|html5|hypertext markup language", "",
     dict(absorbs="Hypertext markup language HTML")),
    ("CSS", "Style sheet language", "css|css3|cascading style sheets", "HTML",
     dict(absorbs="Cascading style sheets CSS")),
    ("JSON", "Data format", "json|javascript object notation", "", dict(absorbs="JavaScript Object Notation JSON")),
    ("XML", "Data format", "xml|extensible markup language", "", dict(absorbs="Extensible markup language XML")),
    # Web frameworks and libraries
    ("React", WEB, "react|reactjs|react.js|react js", "JavaScript", dict(cased="React", notext="react")),
    ("React Native", WEB, "react native", "React"),
    ("Angular", WEB, "angular|angularjs|angular.js|angular js|angular 2", "TypeScript|JavaScript",
     dict(cased="Angular", notext="angular", absorbs="Google Angular")),
    ("Vue.js", WEB, "vue|vuejs|vue.js|vue js|vue 3", "JavaScript"),
    ("Next.js", WEB, "next.js|nextjs|next js", "React"),
    ("Node.js", "Runtime environment", "node|nodejs|node.js|node js", "JavaScript",
     dict(cased="Node", notext="node")),
    ("Express.js", WEB, "express.js|expressjs|express js", "Node.js"),
    ("jQuery", LIB, "jquery", "JavaScript"),
    ("Redux", LIB, "redux", "React", dict(absorbs="React Redux")),
    ("Django", WEB, "django", "Python"),
    ("Django REST framework", WEB, "drf|django rest framework|django rest|django-rest-framework",
     "Django|Python|REST API"),
    ("Flask", WEB, "flask", "Python", dict(cased="Flask", notext="flask")),
    ("FastAPI", WEB, "fastapi|fast api", "Python"),
    ("Celery", "Task queue", "celery", "Python"),
    ("Spring Framework", WEB, "spring|spring framework|spring mvc", "Java", dict(cased="Spring", notext="spring")),
    ("Spring Boot", WEB, "spring boot|springboot", "Spring Framework|Java"),
    ("Ruby on Rails", WEB, "ruby on rails|rails|ror", "Ruby", dict(cased="Rails", notext="rails")),
    ("Laravel", WEB, "laravel", "PHP"),
    ("ASP.NET", WEB, "asp.net|asp.net core|asp.net mvc|aspnet|asp .net", ".NET|C#",
     dict(absorbs="Microsoft ASP.NET|Microsoft ASP.NET Core MVC")),
    (".NET", "Software framework", ".net|dotnet|dot net|.net core|.net framework|.net 6|.net 8|microsoft .net", "",
     dict(absorbs="Microsoft .NET Framework")),
    ("Bootstrap", LIB, "bootstrap|twitter bootstrap", "CSS"),
    ("Tailwind CSS", LIB, "tailwind|tailwindcss|tailwind css", "CSS"),
    ("pandas", LIB, "pandas", "Python"),
    ("NumPy", LIB, "numpy", "Python"),
    ("scikit-learn", LIB, "scikit-learn|sklearn|scikit learn", "Python|Machine learning"),
    ("TensorFlow", LIB, "tensorflow|tensor flow", "Deep learning"),
    ("PyTorch", LIB, "pytorch", "Deep learning|Python"),
    ("pytest", "Testing tool", "pytest|py.test", "Python"),
    ("Jest", "Testing tool", "jest", "JavaScript"),
    ("Selenium", "Testing tool", "selenium|selenium webdriver", ""),
    # Data stores and messaging
    ("PostgreSQL", DB, "postgres|postgresql|psql|postgre|pgsql|postgre sql|postgres sql", "SQL"),
    ("MySQL", DB, "mysql|my sql", "SQL"),
    ("SQLite", DB, "sqlite|sqlite3", "SQL"),
    ("Microsoft SQL Server", DB, "sql server|mssql|ms sql|ms sql server|microsoft sql", "SQL",
     dict(absorbs="SQL Server")),
    ("Oracle Database", DB, "oracle database|oracle db|oracle rdbms", "SQL"),
    ("MongoDB", DB, "mongodb|mongo|mongo db", "NoSQL"),
    ("Redis", DB, "redis", "NoSQL"),
    ("Elasticsearch", "Search engine", "elasticsearch|elastic search", ""),
    ("Apache Cassandra", DB, "cassandra|apache cassandra", "NoSQL"),
    ("Amazon DynamoDB", DB, "dynamodb|dynamo db|amazon dynamodb", "AWS|NoSQL"),
    ("NoSQL", DB, "nosql|nosql databases", ""),
    ("Apache Kafka", "Message broker", "kafka|apache kafka", ""),
    ("RabbitMQ", "Message broker", "rabbitmq|rabbit mq", ""),
    ("Apache Spark", "Big data", "spark|apache spark", "", dict(cased="Spark", notext="spark")),
    ("PySpark", "Big data", "pyspark", "Apache Spark|Python"),
    ("Apache Hadoop", "Big data", "hadoop|apache hadoop", "", dict(absorbs="Hadoop")),
    ("GraphQL", "API technology", "graphql", ""),
    ("REST API", "API technology",
     "rest|rest api|rest apis|restful|restful api|restful apis|restful services|rest services|restful web services"
     "|rest web services|rest architecture", "", dict(cased="REST", notext="rest", absorbs="RESTful API")),
    ("Microservices", "Software architecture",
     "microservices|microservice|micro-services|microservice architecture|microservices architecture", "",
     dict(absorbs="Microservices Architecture")),
    ("WebSockets", "API technology", "websocket|websockets|web sockets|web socket", ""),
    ("OAuth", "Security", "oauth|oauth2|oauth 2.0", ""),
    # Cloud, DevOps, tooling
    ("AWS", CLOUD, "aws|amazon web services|amazon aws|amazon cloud", "",
     dict(absorbs="Amazon Web Services AWS software")),
    ("Amazon S3", CLOUD, "s3|amazon s3|aws s3|amazon simple storage service", "AWS",
     dict(cased="S3", absorbs="Amazon Simple Storage Service S3")),
    ("Amazon EC2", CLOUD, "ec2|amazon ec2|aws ec2|amazon elastic compute cloud", "AWS",
     dict(absorbs="Amazon Elastic Compute Cloud EC2")),
    ("Google Cloud Platform", CLOUD, "gcp|google cloud|google cloud platform", "",
     dict(absorbs="Google Cloud software")),
    ("Microsoft Azure", CLOUD, "azure|ms azure|microsoft azure|windows azure|azure cloud", "",
     dict(absorbs="Microsoft Azure software")),
    ("Docker", DEVOPS, "docker|docker compose|docker containers", ""),
    ("Kubernetes", DEVOPS, "kubernetes|k8s|kube", "Docker"),
    ("Helm", DEVOPS, "helm|helm charts", "Kubernetes", dict(cased="Helm", notext="helm")),
    ("Terraform", DEVOPS, "terraform|hashicorp terraform", "", dict(absorbs="IBM Terraform")),
    ("Ansible", DEVOPS, "ansible|red hat ansible", "", dict(absorbs="Ansible software|Red Hat Ansible Engine")),
    ("Puppet", DEVOPS, "puppet|puppet labs", "", dict(cased="Puppet", notext="puppet")),
    ("Jenkins", DEVOPS, "jenkins|jenkins ci", "CI/CD", dict(absorbs="Jenkins CI")),
    ("Git", "Version control", "git|git scm", ""),
    ("GitHub", "Version control", "github", "Git"),
    ("GitLab", "Version control", "gitlab", "Git"),
    ("GitHub Actions", DEVOPS, "github actions", "CI/CD|GitHub"),
    ("CI/CD", DEVOPS,
     "ci/cd|cicd|ci cd|ci-cd|ci/cd pipelines|ci/cd pipeline|continuous integration|continuous delivery"
     "|continuous deployment|continuous integration and continuous delivery"
     "|continuous integration/continuous delivery|continuous integration/continuous deployment", ""),
    ("DevOps", PRACTICE, "devops|dev ops", ""),
    ("Linux", "Operating system", "linux|gnu/linux", ""),
    ("Unix", "Operating system", "unix", "", dict(absorbs="UNIX")),
    ("Nginx", "Web server", "nginx", ""),
    # Data, AI, business software
    ("Machine learning", AI, "machine learning|ml|machine-learning", "", dict(cased="ML", notext="ml")),
    ("Deep learning", AI, "deep learning|deep neural networks", "Machine learning"),
    ("Natural language processing", AI, "nlp|natural language processing", "Machine learning"),
    ("Computer vision", AI, "computer vision", "Machine learning"),
    ("Artificial intelligence", AI, "artificial intelligence|ai", "", dict(cased="AI", notext="ai")),
    ("Tableau", "Business intelligence software", "tableau|tableau desktop", ""),
    ("Power BI", "Business intelligence software", "power bi|powerbi|microsoft power bi|ms power bi", "",
     dict(absorbs="Microsoft Power BI")),
    ("Microsoft Excel", "Spreadsheet software", "excel|ms excel|microsoft excel|advanced excel", "",
     dict(cased="Excel", notext="excel")),
    ("Microsoft Office", "Office suite software", "ms office|microsoft office|office 365|microsoft 365", "",
     dict(absorbs="Microsoft Office software")),
    ("Microsoft Outlook", "Electronic mail software", "outlook|ms outlook|microsoft outlook", "",
     dict(cased="Outlook", notext="outlook", absorbs="Microsoft Office Outlook")),
    ("Jira", "Project management software", "jira|atlassian jira", "", dict(absorbs="Atlassian JIRA")),
    ("Confluence", "Project management software", "confluence|atlassian confluence", "",
     dict(absorbs="Atlassian Confluence")),
    ("Salesforce", "Customer relationship management CRM software", "salesforce|sfdc|salesforce.com|salesforce crm",
     "", dict(absorbs="Salesforce software|Salesforce.com Salesforce CRM")),
    ("SAP", "Enterprise resource planning ERP software", "sap|sap erp", "", dict(absorbs="SAP software|SAP ERP")),
    ("Figma", "Design software", "figma", ""),
    # Practices
    ("Agile", PRACTICE, "agile|agile methodology|agile methodologies|agile software development|agile development"
     "|agile methods", "", dict(absorbs="Agile development")),
    ("Scrum", PRACTICE, "scrum|scrum methodology", "Agile"),
    ("Kanban", PRACTICE, "kanban", "Agile"),
    ("Test-driven development", PRACTICE, "tdd|test driven development|test-driven development", "Unit testing"),
    ("Unit testing", PRACTICE, "unit testing|unit tests|unit test|perform software unit testing", "",
     dict(absorbs="perform software unit testing")),
    ("Object-oriented programming", PRACTICE, "oop|object-oriented programming|object oriented programming"
     "|use object-oriented programming", "", dict(absorbs="use object-oriented programming")),
    # Soft skills (ESCO has them as long verb phrases; these are the words job ads use)
    ("Communication", SOFT, "communication|communication skills|communications skills|verbal communication"
     "|written communication|oral communication|written and verbal communication"
     "|verbal and written communication|written and oral communication|interpersonal communication", ""),
    ("Teamwork", SOFT, "teamwork|team work|team player|teamworking|team working|work in teams|working in teams"
     "|collaboration skills|teamwork principles", "", dict(absorbs="work in teams|teamwork principles")),
    ("Leadership", SOFT, "leadership|leadership skills|team leadership|leadership principles", "",
     dict(absorbs="leadership principles")),
    ("Problem solving", SOFT, "problem solving|problem-solving|problem solving skills|solve problems"
     "|analytical problem solving|problem solver", ""),
    ("Time management", SOFT, "time management|time management skills|manage time|prioritisation|prioritization",
     ""),
    ("Project management", SOFT, "project management|project management skills|manage projects"
     "|perform project management|project management principles", "",
     dict(absorbs="perform project management|project management principles")),
    ("Customer service", SOFT, "customer service|customer care|client service|customer support"
     "|customer service skills", ""),
    ("Negotiation", SOFT, "negotiation|negotiation skills|negotiating", ""),
    ("Attention to detail", SOFT, "attention to detail|detail oriented|detail-oriented|eye for detail", ""),
    ("Critical thinking", SOFT, "critical thinking|think critically", ""),
    ("Stakeholder management", SOFT, "stakeholder management|managing stakeholders|stakeholder engagement"
     "|manage relationships with stakeholders", "", dict(absorbs="manage relationships with stakeholders")),
]
# fmt: on

# Never aliases, whatever a source says: too generic, or a prefix of many names ("py" is not Python).
# "be responsible" is an ESCO altLabel of "assume responsibility", but boilerplate in every job ad.
# fmt: off
NEVER_ALIASES = frozenset({
    "py", "software", "programming", "development", "management", "data", "technology", "technologies", "computer",
    "computers", "skills", "skill", "tools", "tool", "experience", "systems", "system", "application",
    "applications", "web", "internet", "online", "platform", "language", "languages", "framework", "frameworks",
    "services", "service", "analysis", "support", "design",
    "be responsible",
})
# fmt: on

# Vendor prefixes stripped from O*NET tool names for an extra alias ("Atlassian JIRA" -> "jira"). Longest first.
VENDORS = sorted(
    """Microsoft|Oracle|IBM|Autodesk|Adobe|The MathWorks|MathWorks|SAP|Thomson Reuters|Thomson|Sage|Apache|Google|
    Apple|Siemens|ESRI|RockWare|LexisNexis|Bentley|Cadence|Corel|Trimble|ADP|Cisco|Cisco Systems|SunGard|Symantec|
    Infor|Amazon|Amazon Web Services|Avid|McKesson|PTC|Synopsys|Red Hat|Hewlett-Packard|Hewlett Packard|HP|Teradata|
    Atlassian|Sun Microsystems|Intuit|Salesforce|Mentor Graphics|Allscripts|Cerner|MEDITECH|Epic Systems|
    Dassault Systemes|JetBrains|VMware|Citrix|Unity Technologies|Intergraph|Experian|EMC|Accelrys|ABB|GE|FANUC|
    Wolfram Research|SAS Institute|Elsevier|Facebook|Meta|Mozilla|Novell|Quest|Quest Software|Tableau Software|
    Unity|Dell|Kronos|Workday|NetSuite|Epicor|Bloomberg|Hyland|Minitab|Stata|Magma|Keysight|Agilent|Rockwell|
    Honeywell|Schneider Electric|Emerson|Yokogawa|Altair|ANSYS|Nemetschek|Graphisoft|Chief Architect|SketchUp|
    Trimble Navigation|Adobe Systems|Apple Inc|Google LLC""".replace("\n", "").split("|"),
    key=lambda v: (-len(v.split()), v),
)
VENDORS = sorted({" ".join(v.split()) for v in VENDORS}, key=lambda v: (-len(v.split()), v))

TIER_CURATED, TIER_NAME, TIER_DERIVED, TIER_SHORT, TIER_ALT, TIER_GAZETTEER = range(6)
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&/.+-]*[A-Z0-9+]$")


def name_parts(text: str) -> list[str]:
    """Lower-case alphabetic parts of a name, split at spaces, punctuation, camelCase ("MapReduce" -> map, reduce)."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+", text)
    return [part.lower() for part in parts]


def _spells(letters: str, parts: list[str]) -> bool:
    if not parts:
        return not letters
    word = parts[0]
    if word in STOPWORDS and _spells(letters, parts[1:]):
        return True
    for end in range(1, len(word) + 1):
        if end > len(letters) or word[:end] != letters[:end]:
            break
        if _spells(letters[end:], parts[1:]):
            return True
    return False


def is_acronym_of(acronym: str, words: str) -> bool:
    """Whether ``acronym`` abbreviates the last words of ``words`` ("SSIS" of "... SQL Server Integration Services").

    Each word gives a leading piece ("Power Analysis and Sample Size" -> PASS; stop words may be skipped), so a
    model suffix such as "AutoCAD LT" or "Windows XP" is not taken for an acronym.
    """
    letters = "".join(ch.lower() for ch in acronym if ch.isalpha())
    parts = name_parts(words)
    if len(letters) < 2 or len(parts) < 2:
        return False
    return any(letters[0] == parts[k][0] and _spells(letters, parts[k:]) for k in range(len(parts) - 1))


def content_stems(text: str) -> set[str]:
    return {part[:4] for part in name_parts(text) if len(part) >= 3 and part not in STOPWORDS}


def norm_alias(text: str) -> str:
    return " ".join(text.lower().split())


def is_word_token(key: str) -> bool:
    return any(ch.isalnum() for ch in key)


def alnum_count(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


@dataclass
class Record:
    name: str
    category: str = ""
    curated: bool = False
    aliases: dict[str, int] = field(default_factory=dict)  # lower-case alias -> tier
    cased: dict[str, int] = field(default_factory=dict)  # exact-case text form -> tier
    notext: set[str] = field(default_factory=set)
    curated_aliases: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    hot: bool = False
    in_demand: bool = False
    onet_n: int = 0
    esco_n: int = 0
    esco_type: str = ""

    @property
    def weight(self) -> int:
        return self.onet_n + self.esco_n

    def add_alias(self, alias: str, tier: int) -> None:
        alias = norm_alias(alias)
        if not alias or alias in NEVER_ALIASES or not any(is_word_token(k) for k in tokens(alias)):
            return
        if all(k in STOPWORDS for k in tokens(alias) if is_word_token(k)):
            return
        if tier < self.aliases.get(alias, 99):
            self.aliases[alias] = tier


# ---------------------------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def read_zip_csv(archive: zipfile.ZipFile, member: str) -> list[dict[str, str]]:
    with archive.open(member) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def common_words(onet_dir: Path, esco_skills: list[dict], esco_occupations: list[dict]) -> frozenset[str]:
    """Words written in lower case at least twice in O*NET tasks/descriptions and ESCO descriptions."""
    counts: Counter[str] = Counter()
    texts = [row["Task"] for row in read_tsv(onet_dir / "Task Statements.txt")]
    texts += [row["Description"] for row in read_tsv(onet_dir / "Occupation Data.txt")]
    texts += [row["description"] for row in esco_skills] + [row["description"] for row in esco_occupations]
    for text in texts:
        counts.update(re.findall(r"\b[a-z]+\b", text))
    return frozenset(word for word, n in counts.items() if n >= 2)


def load_onet(onet_dir: Path) -> dict[str, dict]:
    tools: dict[str, dict] = {}
    for row in read_tsv(onet_dir / "Technology Skills.txt"):
        name = " ".join(row["Example"].split())
        tool = tools.setdefault(name, {"soc": set(), "commodities": Counter(), "hot": False, "in_demand": False})
        tool["soc"].add(row["O*NET-SOC Code"])
        tool["commodities"][row["Commodity Title"]] += 1
        tool["hot"] |= row["Hot Technology"] == "Y"
        tool["in_demand"] |= row["In Demand"] == "Y"
    return tools


# ---------------------------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------------------------


class Builder:
    def __init__(self, common: frozenset[str]) -> None:
        self.common = common
        self.records: dict[str, Record] = {}
        self.by_name_key: dict[str, str] = {}  # alias_key of a record name -> record name
        self.curated_keys: dict[str, str] = {}  # alias_key of a curated alias -> record name
        self.absorbs: dict[str, str] = {}  # source name -> curated record name
        self.source_names: dict[str, str] = {}  # alias_key of an absorbed/merged source name -> record name
        self.esco_uri: dict[str, str] = {}  # ESCO concept URI -> record name
        self.absorbed: set[str] = set()  # curated absorbs actually met in the data

    # -- records ---------------------------------------------------------------------------------------------
    def new_record(self, name: str, category: str, source: str) -> Record:
        record = Record(name=name, category=category)
        record.sources.add(source)
        record.add_alias(name, TIER_NAME)
        self.records[name] = record
        self.by_name_key[alias_key(name)] = name
        return record

    def is_common(self, alias: str) -> bool:
        keys = [k for k in tokens(alias) if is_word_token(k)]
        return len(keys) == 1 and keys[0] in self.common

    def find_target(self, source_name: str, derived: list[str]) -> str | None:
        """The record a source item merges into: curated absorbs, a curated alias, or a record with its name."""
        if source_name in self.absorbs:
            self.absorbed.add(source_name)
            return self.absorbs[source_name]
        key = alias_key(source_name)
        for index in (self.curated_keys, self.by_name_key, self.source_names):
            if key in index:
                return index[key]
        for alias in derived:
            found = self.curated_keys.get(alias_key(alias))
            if found:
                return found
        return None

    def add_curated(self) -> None:
        for row in CURATED:
            name, category, aliases, parents, *rest = row
            options = rest[0] if rest else {}
            record = self.new_record(name, category, "curated")
            record.curated = True
            record.aliases[norm_alias(name)] = TIER_CURATED
            for alias in [name, *aliases.split("|")]:
                if alias:
                    record.add_alias(alias, TIER_CURATED)
                    record.curated_aliases.add(norm_alias(alias))
            record.related.update(p for p in parents.split("|") if p)
            record.notext.update(a for a in options.get("notext", "").split("|") if a)
            for form in options.get("cased", "").split("|"):
                if form:
                    record.cased[form] = TIER_CURATED
            for source_name in options.get("absorbs", "").split("|"):
                if source_name:
                    self.absorbs[source_name] = name
        for name, record in self.records.items():
            for alias in record.aliases:
                self.curated_keys.setdefault(alias_key(alias), name)

    # -- O*NET -----------------------------------------------------------------------------------------------
    def onet_aliases(self, name: str) -> tuple[list[str], list[str], list[str]]:
        """(derived names, acronyms, vendor-less names) of an O*NET tool name."""
        derived: list[str] = []
        acronyms: list[str] = []
        short: list[str] = []
        words = name.split()
        paren = re.search(r"\(([^()]+)\)\s*$", name)
        if paren:
            base = name[: paren.start()].strip()
            derived.append(base)
            if ACRONYM_RE.match(paren.group(1)) and is_acronym_of(paren.group(1), base):
                acronyms.append(paren.group(1))
            words = base.split()
        elif len(words) >= 3 and ACRONYM_RE.match(words[-1]) and is_acronym_of(words[-1], " ".join(words[:-1])):
            derived.append(" ".join(words[:-1]))
            acronyms.append(words[-1])
        acronyms = [a for a in acronyms if alnum_count(a) >= 3]
        for base in [" ".join(words), *derived]:
            for vendor in VENDORS:
                if base.startswith(vendor + " "):
                    rest = base[len(vendor) + 1 :].strip()
                    rest_keys = [k for k in tokens(rest) if is_word_token(k)]
                    if alnum_count(rest) >= 3 and not all(k in self.common or k in STOPWORDS for k in rest_keys):
                        short.append(rest)
                    if vendor == "Microsoft" and alnum_count(rest) >= 3:
                        short.append(f"MS {rest}")  # "MS Word", "MS Access": distinctive even when "word" is not
                    break
        return derived, acronyms, short

    def add_onet(self, tools: dict[str, dict]) -> None:
        for name in sorted(tools):
            tool = tools[name]
            derived, acronyms, short = self.onet_aliases(name)
            target = self.find_target(name, derived + short)
            category = sorted(tool["commodities"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            record = self.records[target] if target else self.new_record(name, category, "onet")
            record.sources.add("onet")
            record.category = record.category or category
            record.hot |= tool["hot"]
            record.in_demand |= tool["in_demand"]
            record.onet_n += len(tool["soc"])
            record.add_alias(name, TIER_NAME)
            self.source_names.setdefault(alias_key(name), record.name)
            for alias in derived:
                record.add_alias(alias, TIER_DERIVED)
            for alias in short:
                record.add_alias(alias, TIER_SHORT)
            for acronym in acronyms:
                record.add_alias(acronym, TIER_SHORT)
                if self.is_common(acronym):
                    record.cased.setdefault(acronym, TIER_SHORT)
            # A one-word tool name that is also an English word is found in text only as written, and only when
            # the spelling is distinctive (LaTeX, PuTTY, BLAST), not merely capitalized (Dig, Route, Square).
            distinctive = sum(ch.isupper() for ch in name) >= 2
            if not record.curated and len(tokens(name)) == 1 and self.is_common(name) and distinctive:
                record.cased.setdefault(name, TIER_NAME)

    # -- ESCO ------------------------------------------------------------------------------------------------
    def add_esco(self, esco_dir: Path) -> int:
        with zipfile.ZipFile(esco_dir / "esco-v1.1.1-classification-en-csv.zip") as archive:
            skills = read_zip_csv(archive, "skills_en.csv")
            digital = {row["conceptUri"] for row in read_zip_csv(archive, "digitalSkillsCollection_en.csv")}
            groups = {row["conceptUri"]: row["preferredLabel"] for row in read_zip_csv(archive, "skillGroups_en.csv")}
        with zipfile.ZipFile(esco_dir / "esco-v1.1.1-relations-csv.zip") as archive:
            broader = read_zip_csv(archive, "broaderRelationsSkillPillar.csv")
            uses = Counter(row["skillUri"] for row in read_zip_csv(archive, "occupationSkillRelations.csv"))
        skill_groups: dict[str, list[str]] = defaultdict(list)
        for row in broader:
            if row["broaderType"] == "SkillGroup" and row["broaderUri"] in groups:
                skill_groups[row["conceptUri"]].append(groups[row["broaderUri"]])
        selected = [
            row
            for row in skills
            if row["conceptUri"] in digital or row["reuseLevel"] in ("transversal", "cross-sector")
        ]
        selected.sort(key=lambda row: (row["preferredLabel"].strip().lower(), row["conceptUri"]))
        for row in selected:
            label = " ".join(row["preferredLabel"].split())
            stripped = re.sub(r"\s*\([^()]*\)\s*$", "", label)
            derived = [stripped] if stripped != label else []
            target = self.find_target(label, derived)
            if target is None and derived:
                target = self.by_name_key.get(alias_key(stripped))
            category = sorted(skill_groups.get(row["conceptUri"], [])) or [f"ESCO {row['skillType'] or 'skill'}"]
            record = self.records[target] if target else self.new_record(label, category[0], "esco")
            record.sources.add("esco")
            record.category = record.category or category[0]
            record.esco_n += uses[row["conceptUri"]]
            record.esco_type = record.esco_type or "/".join(p for p in (row["skillType"], row["reuseLevel"]) if p)
            record.add_alias(label, TIER_NAME)
            self.source_names.setdefault(alias_key(label), record.name)
            self.esco_uri[row["conceptUri"]] = record.name
            for alias in derived:
                record.add_alias(alias, TIER_DERIVED)
            # ESCO alternative labels mix true variants with loose associations ("OpenCV" and "INTERCAL" under
            # computer programming, "valves" under instrumentation equipment): keep those sharing a word stem
            # with the label or the record's names, or abbreviating the label.
            stems = content_stems(label)
            for alias, tier in record.aliases.items():
                if tier <= TIER_NAME:
                    stems |= content_stems(alias)
            for alias in (a.strip() for a in row["altLabels"].split("\n")):
                if alias and (content_stems(alias) & stems or is_acronym_of(alias, stripped)):
                    record.add_alias(alias, TIER_ALT)
        for row in broader:
            child = self.esco_uri.get(row["conceptUri"])
            parent = self.esco_uri.get(row["broaderUri"])
            if child and parent and child != parent and row["broaderType"] == "KnowledgeSkillCompetence":
                self.records[child].related.add(parent)
        return len(selected)

    # -- gazetteer -------------------------------------------------------------------------------------------
    def add_gazetteer(self, strings: list[str]) -> int:
        loose: dict[str, set[str]] = defaultdict(set)
        known: set[str] = set()
        for record in self.records.values():
            for alias, tier in record.aliases.items():
                known.add(alias_key(alias))
                if tier <= TIER_NAME:
                    loose[loose_key(alias)].add(record.name)
        added = 0
        for text in sorted(set(strings)):
            alias = norm_alias(text)
            if not alias or len(alias) > 60 or alias_key(alias) in known:
                continue
            names = loose.get(loose_key(alias), set())
            if len(names) == 1 and alnum_count(alias) >= 3:
                self.records[next(iter(names))].add_alias(alias, TIER_GAZETTEER)
                added += 1
        return added

    # -- relations and clean-up ------------------------------------------------------------------------------
    def add_prefix_relations(self) -> None:
        """An O*NET tool whose name starts with another skill's name (or absorbed name) is that skill's child."""
        heads: dict[tuple[str, ...], str] = {}
        for record in self.records.values():
            for alias, tier in record.aliases.items():
                keys = tuple(tokens(alias))
                if tier <= TIER_NAME and alnum_count(alias) >= 3 and not self.is_common(alias):
                    heads.setdefault(keys, record.name)
        for record in self.records.values():
            if "onet" not in record.sources:
                continue
            keys = tuple(tokens(record.name))
            for end in range(len(keys) - 1, 0, -1):
                parent = heads.get(keys[:end])
                if parent and parent != record.name:
                    record.related.add(parent)
                    break

    def resolve_conflicts(self) -> tuple[int, int]:
        claims: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
        for record in self.records.values():
            for alias, tier in record.aliases.items():
                claims[alias_key(alias)].append((tier, -record.weight, record.name, alias))
        dropped = 0
        for entries in claims.values():
            owners = {entry[2] for entry in entries}
            entries.sort()
            best = entries[0]
            winner = best[2]
            tie = any(e[2] != winner and (e[0], e[1]) == (best[0], best[1]) for e in entries)
            kept_alias = None
            for tier, _, name, alias in entries:
                record = self.records[name]
                if len(owners) > 1 and (tie or name != winner):
                    record.aliases.pop(alias, None)
                    dropped += 1
                elif kept_alias is None:
                    kept_alias = alias
                elif alias != kept_alias and tier > TIER_CURATED:
                    record.aliases.pop(alias, None)  # same key, same record: one spelling is enough
        cased_claims: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for record in self.records.values():
            for form in [f for f in record.cased if len(tokens(f)) != 1]:
                del record.cased[form]  # run-time cased matching is per token
            for form, tier in record.cased.items():
                cased_claims[form].append((tier, -record.weight, record.name))
        dropped_cased = 0
        for form, entries in cased_claims.items():
            entries.sort()
            tie = len(entries) > 1 and entries[0][:2] == entries[1][:2]
            for index, (_, _, name) in enumerate(entries):
                if tie or index > 0:
                    self.records[name].cased.pop(form, None)
                    dropped_cased += 1
        return dropped, dropped_cased

    def mark_notext(self) -> None:
        for record in self.records.values():
            for alias in record.aliases:
                if record.curated and alias in record.curated_aliases:
                    continue
                keys = tokens(alias)
                if (len(keys) == 1 and keys[0].isalnum() and len(keys[0]) <= 2) or self.is_common(alias):
                    record.notext.add(alias)
                elif record.aliases[alias] == TIER_GAZETTEER and all(
                    k in self.common or k in STOPWORDS or not is_word_token(k) for k in keys
                ):
                    record.notext.add(alias)  # "sales force", "no sql", "service now": prose, not Salesforce
            record.notext &= set(record.aliases)

    def check(self) -> None:
        names = set(self.records)
        for record in self.records.values():
            missing = record.related - names
            if missing:
                raise SystemExit(f"{record.name}: unknown related skills {sorted(missing)}")
            record.related.discard(record.name)
        unused = set(self.absorbs) - self.absorbed
        if unused:
            print(f"note: curated absorbs not found in the data: {sorted(unused)}", file=sys.stderr)
        owner: dict[str, str] = {}
        for record in self.records.values():
            for alias in record.aliases:
                owner.setdefault(alias_key(alias), record.name)
        lost = [name for name in self.records if owner.get(alias_key(name)) != name]
        if lost:
            raise SystemExit(f"skills whose own name resolves elsewhere: {lost[:20]}")

    def output(self) -> list[dict]:
        result = []
        for name in sorted(self.records, key=lambda n: (n.lower(), n)):
            record = self.records[name]
            own = norm_alias(name)
            item: dict = {
                "name": name,
                "aliases": sorted(a for a in record.aliases if a != own),
                "category": record.category,
                "related": sorted(record.related),
                "source": "+".join(sorted(record.sources)),
            }
            optional = {
                "cased": sorted(record.cased),
                "notext": sorted(record.notext),
                "hot": record.hot,
                "in_demand": record.in_demand,
                "onet_n": record.onet_n,
                "esco_n": record.esco_n,
                "esco_type": record.esco_type,
            }
            item.update({k: v for k, v in optional.items() if v})
            if not item["aliases"]:
                del item["aliases"]
            if not item["related"]:
                del item["related"]
            result.append(item)
        return result


# ---------------------------------------------------------------------------------------------------------------
# SOURCE.md
# ---------------------------------------------------------------------------------------------------------------

SOURCE_TEMPLATE = """# marketplace/data — the skills taxonomy and where it comes from

`skills_taxonomy.json.gz` is generated; do not edit it by hand. It is read by `marketplace/skill_vocabulary.py`
(names, aliases) and `matcher/taxonomy.py` (relations).
Rebuild it (and this file) from the third-party data with:

    python scripts/build_skills_taxonomy.py ../shared/data

The build is deterministic (sorted output, gzip mtime 0): the same data gives the same bytes.
Contents: {skills} canonical skills, {aliases} aliases; built from the sources below plus a small hand-written table of
common spellings at the top of `scripts/build_skills_taxonomy.py`.

## ESCO

Contains ESCO classification data (v1.1.1), © European Union, https://esco.ec.europa.eu

Used: `skills_en.csv`, `digitalSkillsCollection_en.csv`, `skillGroups_en.csv` (classification, English) and
`broaderRelationsSkillPillar.csv`, `occupationSkillRelations.csv` (relations) of the ESCO v1.1.1 CSV download;
only the digital skills collection and the transversal / cross-sector skills are included, some labels are merged
with other sources and some alternative labels are dropped. Reuse is authorised provided the source is acknowledged
(Commission Decision 2011/833/EU).

## O*NET

This includes information from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training
Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA.
The O*NET data (`Technology Skills.txt`; `Task Statements.txt` and `Occupation Data.txt` only to detect ordinary
English words) was modified for this project: tool names were merged, renamed, given aliases, categories and
relations. USDOL/ETA has not approved, endorsed, or tested these modifications.
Licence: https://creativecommons.org/licenses/by/4.0/ — https://www.onetcenter.org/license_db.html

## Not included: the Green et al. test set

`scripts/evaluate_skill_extraction.py` measures the extractor against the gold job-ad sentences of Green, Maynard and
Lin, "Development of a Benchmark Corpus to Support Entity Recognition in Job Descriptions", LREC 2022 (CC BY 4.0),
reading them from `../shared/data/green-jd-entities/` when it is run; nothing of that data is committed here.

## skill-extractor gazetteer

Some alternative spellings of skill names come from `skill_extractor/data/skills.json` in the PyPI package
skill-extractor 0.2.0 (https://github.com/dreamjobs-tech/skill-extractor), used under the MIT licence:

```
{mit}
```
"""


def write_source(data_dir: Path, skills: int, aliases: int, gazetteer_used: bool) -> None:
    mit = ""
    licence = data_dir / "skill-extractor-gazetteer" / "LICENSE"
    text = SOURCE_TEMPLATE
    if gazetteer_used:
        mit = licence.read_text(encoding="utf-8").strip()
    else:
        text = text[: text.index("## skill-extractor gazetteer")].rstrip() + "\n"
    SOURCE_FILE.write_text(text.format(skills=f"{skills:,}", aliases=f"{aliases:,}", mit=mit), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--no-gazetteer", action="store_true", help="do not use the skill-extractor gazetteer")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    onet_dir, esco_dir = data_dir / "onet-29.2", data_dir / "esco-v1.1.1"

    with zipfile.ZipFile(esco_dir / "esco-v1.1.1-classification-en-csv.zip") as archive:
        esco_text = read_zip_csv(archive, "skills_en.csv"), read_zip_csv(archive, "occupations_en.csv")
    builder = Builder(common_words(onet_dir, *esco_text))
    builder.add_curated()
    tools = load_onet(onet_dir)
    builder.add_onet(tools)
    esco_count = builder.add_esco(esco_dir)
    gazetteer_file = data_dir / "skill-extractor-gazetteer" / "skills.json"
    gazetteer_added = 0
    use_gazetteer = not args.no_gazetteer and gazetteer_file.exists()
    if use_gazetteer:
        gazetteer_added = builder.add_gazetteer(json.loads(gazetteer_file.read_text(encoding="utf-8")))
    builder.add_prefix_relations()
    dropped, dropped_cased = builder.resolve_conflicts()
    builder.mark_notext()
    builder.check()
    skills = builder.output()

    alias_count = sum(len(s.get("aliases", ())) + 1 for s in skills)
    payload = {
        "format": FORMAT_VERSION,
        "sources": {
            "curated": len(CURATED),
            "onet": "O*NET 29.2 Technology Skills",
            "esco": "ESCO v1.1.1 skills (digital collection, transversal, cross-sector)",
            "gazetteer": "skill-extractor 0.2.0 skills.json (spellings only)" if use_gazetteer else None,
        },
        "skills": skills,
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(raw)
    OUT_FILE.write_bytes(buffer.getvalue())
    write_source(data_dir, len(skills), alias_count, use_gazetteer)

    print(f"O*NET tools: {len(tools):,}; ESCO skills: {esco_count:,}; gazetteer spellings: {gazetteer_added:,}")
    print(f"canonical skills: {len(skills):,}; aliases (names included): {alias_count:,}")
    print(f"aliases dropped as ambiguous between skills: {dropped:,}; cased forms dropped: {dropped_cased:,}")
    print(f"related links: {sum(len(s.get('related', ())) for s in skills):,}")
    print(f"wrote {OUT_FILE.relative_to(REPO)}: {len(buffer.getvalue()):,} bytes ({len(raw):,} uncompressed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
