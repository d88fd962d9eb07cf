"""The demo data set of `seed_demo`: companies, roles and skills by category, job seekers.

Invented names and companies; any likeness to real ones is chance.
"""

from marketplace.choices import ExperienceLevel

COMPANIES = [
    # slug, name, email/web domain, headquarters, description
    (
        "savanna-pay",
        "Savanna Pay",
        "savannapay.example",
        "Nairobi, Kenya",
        "Mobile payments and merchant wallets for small businesses across East Africa.",
    ),
    (
        "kilima-health",
        "Kilima Health",
        "kilimahealth.example",
        "Kampala, Uganda",
        "Telemedicine and pharmacy delivery connecting rural clinics with doctors.",
    ),
    (
        "baobab-logistics",
        "Baobab Logistics",
        "baobablogistics.example",
        "Lagos, Nigeria",
        "Last-mile delivery and warehousing for e-commerce sellers in West Africa.",
    ),
    (
        "tembo-labs",
        "Tembo Labs",
        "tembolabs.example",
        "Kigali, Rwanda",
        "Applied machine learning for agriculture, credit scoring and language technology.",
    ),
    (
        "jua-energy",
        "Jua Energy",
        "juaenergy.example",
        "Dar es Salaam, Tanzania",
        "Pay-as-you-go solar home systems for off-grid households.",
    ),
    (
        "nyota-learning",
        "Nyota Learning",
        "nyotalearning.example",
        "Accra, Ghana",
        "Online courses and live tutoring for secondary school and university students.",
    ),
    (
        "mawingu-cloud",
        "Mawingu Cloud",
        "mawingucloud.example",
        "Cape Town, South Africa",
        "Managed Kubernetes, databases and object storage hosted on the continent.",
    ),
    (
        "shamba-fresh",
        "Shamba Fresh",
        "shambafresh.example",
        "Nairobi, Kenya",
        "A marketplace that moves fresh produce from farms straight to restaurants and grocers.",
    ),
]

RECRUITERS = [
    ("Wanjiku", "Kamau"),
    ("Moses", "Ssempala"),
    ("Funke", "Adeyemi"),
    ("Eric", "Habimana"),
    ("Rehema", "Mushi"),
    ("Akosua", "Boateng"),
    ("Thandiwe", "Nkosi"),
    ("Daniel", "Kariuki"),
]

# category -> (team name, used in "Head of …" and "… Intern" titles; [(role, core skills)]; extra skills)
CATEGORIES: dict[str, tuple[str, list[tuple[str, list[str]]], list[str]]] = {
    "tech": (
        "Engineering",
        [
            ("Backend Engineer", ["Python", "Django", "PostgreSQL", "REST APIs", "Redis"]),
            ("Frontend Engineer", ["JavaScript", "TypeScript", "React", "CSS", "HTML"]),
            ("Full-Stack Developer", ["JavaScript", "Node.js", "React", "PostgreSQL", "TypeScript"]),
            ("Android Developer", ["Kotlin", "Android", "Jetpack Compose", "REST APIs"]),
            ("iOS Developer", ["Swift", "iOS", "SwiftUI", "Xcode"]),
            ("DevOps Engineer", ["Docker", "Kubernetes", "Terraform", "AWS", "CI/CD"]),
            ("Site Reliability Engineer", ["Linux", "Kubernetes", "Prometheus", "Go", "Incident Management"]),
            ("QA Automation Engineer", ["Test Automation", "Python", "Selenium", "Cypress"]),
            ("Security Engineer", ["Application Security", "Penetration Testing", "OWASP", "Python"]),
            ("Platform Engineer", ["Go", "gRPC", "Kubernetes", "PostgreSQL"]),
        ],
        ["Git", "Linux", "AWS", "GraphQL", "Microservices", "Celery", "Docker"],
    ),
    "design": (
        "Design",
        [
            ("Product Designer", ["Figma", "User Research", "Prototyping", "Interaction Design"]),
            ("UX Researcher", ["User Research", "Usability Testing", "Survey Design", "Interviewing"]),
            ("UI Designer", ["Figma", "Visual Design", "Design Systems", "Typography"]),
            ("Graphic Designer", ["Adobe Illustrator", "Adobe Photoshop", "Branding", "Typography"]),
            ("Motion Designer", ["After Effects", "Animation", "Storyboarding"]),
            ("Content Designer", ["UX Writing", "Content Strategy", "Information Architecture"]),
        ],
        ["Accessibility", "Wireframing", "Sketch", "HTML", "CSS"],
    ),
    "data": (
        "Data",
        [
            ("Data Analyst", ["SQL", "Excel", "Tableau", "Data Visualization"]),
            ("Data Scientist", ["Python", "Machine Learning", "Statistics", "pandas", "scikit-learn"]),
            ("Data Engineer", ["Python", "SQL", "Apache Spark", "Airflow", "dbt"]),
            ("Machine Learning Engineer", ["Python", "PyTorch", "MLOps", "Docker"]),
            ("Analytics Engineer", ["dbt", "SQL", "BigQuery", "Looker"]),
            ("BI Developer", ["Power BI", "SQL", "DAX", "Data Modeling"]),
        ],
        ["A/B Testing", "Snowflake", "R", "NLP", "Kafka"],
    ),
    "marketing": (
        "Marketing",
        [
            ("Digital Marketing Manager", ["SEO", "Google Ads", "Google Analytics", "Campaign Management"]),
            ("Content Marketing Specialist", ["Content Writing", "SEO", "Copywriting", "WordPress"]),
            ("Growth Marketer", ["A/B Testing", "Marketing Automation", "Google Analytics", "SQL"]),
            ("Social Media Manager", ["Social Media Marketing", "Content Creation", "Community Management"]),
            ("Brand Manager", ["Brand Strategy", "Market Research", "Campaign Management"]),
            ("Performance Marketing Specialist", ["Facebook Ads", "Google Ads", "Conversion Rate Optimization"]),
        ],
        ["HubSpot", "Email Marketing", "Canva", "Public Relations"],
    ),
    "sales": (
        "Sales",
        [
            ("Account Executive", ["B2B Sales", "Negotiation", "Salesforce", "Pipeline Management"]),
            ("Sales Development Representative", ["Lead Generation", "Cold Calling", "HubSpot", "Prospecting"]),
            ("Customer Success Manager", ["Customer Success", "Account Management", "Onboarding", "CRM"]),
            ("Sales Manager", ["Sales Strategy", "Team Leadership", "Forecasting", "Salesforce"]),
            ("Partnerships Manager", ["Business Development", "Partnerships", "Negotiation"]),
            ("Solutions Engineer", ["Technical Sales", "Product Demos", "REST APIs", "Solution Architecture"]),
        ],
        ["Swahili", "French", "Presentation Skills", "Contract Negotiation"],
    ),
    "product": (
        "Product",
        [
            ("Product Manager", ["Product Strategy", "Roadmapping", "User Research", "Agile"]),
            ("Technical Product Manager", ["Product Management", "REST APIs", "Agile", "SQL"]),
            ("Product Owner", ["Scrum", "Backlog Management", "User Stories", "Jira"]),
            ("Product Analyst", ["SQL", "Product Analytics", "A/B Testing", "Amplitude"]),
        ],
        ["Stakeholder Management", "Figma", "Jira", "Data Analysis"],
    ),
    "operations": (
        "Operations",
        [
            ("Operations Manager", ["Operations Management", "Process Improvement", "Excel", "Team Leadership"]),
            ("Supply Chain Analyst", ["Supply Chain", "Excel", "SQL", "Forecasting"]),
            ("Project Manager", ["Project Management", "Agile", "Risk Management", "Jira"]),
            ("Logistics Coordinator", ["Logistics", "Inventory Management", "Excel"]),
            ("HR Business Partner", ["Talent Management", "Employee Relations", "HRIS"]),
            ("Customer Support Manager", ["Customer Support", "Zendesk", "Team Leadership"]),
        ],
        ["Lean", "Six Sigma", "Vendor Management", "Process Documentation"],
    ),
    "finance": (
        "Finance",
        [
            ("Financial Analyst", ["Financial Modeling", "Excel", "Forecasting", "Budgeting"]),
            ("Accountant", ["Accounting", "IFRS", "QuickBooks", "Reconciliation"]),
            ("FP&A Manager", ["FP&A", "Financial Modeling", "Budgeting", "Stakeholder Management"]),
            ("Risk Analyst", ["Risk Management", "Credit Analysis", "SQL", "Excel"]),
            ("Payroll Specialist", ["Payroll", "Tax Compliance", "Excel"]),
            ("Treasury Analyst", ["Treasury", "Cash Management", "Excel", "FX"]),
        ],
        ["SAP", "Power BI", "Audit", "Xero"],
    ),
}

DUTIES = {
    "tech": [
        "design, build and run services that handle millions of requests a day",
        "review code and pair with teammates to keep quality high",
        "own features from the first sketch to production monitoring",
        "improve our test suite and deployment pipeline",
        "take part in a fair, well-documented on-call rotation",
    ],
    "design": [
        "turn research insights into flows, prototypes and polished screens",
        "run usability sessions with customers in the field",
        "grow and document our design system",
        "work side by side with engineers and product managers",
    ],
    "data": [
        "build reliable pipelines and models that the business trusts",
        "answer open questions with careful analysis and clear charts",
        "define metrics with product and operations teams",
        "ship models to production and monitor their drift",
    ],
    "marketing": [
        "plan and run campaigns across search, social and email",
        "measure what works and move budget accordingly",
        "write and edit content that speaks to our customers",
        "work with sales to turn interest into revenue",
    ],
    "sales": [
        "build and manage a healthy pipeline of new customers",
        "run discovery calls, demos and negotiations",
        "keep the CRM accurate and forecasts honest",
        "bring customer feedback back to the product team",
    ],
    "product": [
        "decide what to build next, and explain why",
        "write clear specs and keep the roadmap current",
        "talk to customers every week",
        "measure outcomes and iterate with design and engineering",
    ],
    "operations": [
        "keep day-to-day operations running smoothly across sites",
        "map and improve processes, and automate the tedious parts",
        "coordinate vendors, partners and internal teams",
        "report on the numbers that matter each week",
    ],
    "finance": [
        "prepare monthly reports, budgets and forecasts",
        "keep the books accurate and audits uneventful",
        "model scenarios for leadership decisions",
        "improve controls as we scale into new markets",
    ],
}

BENEFITS = [
    "Health cover for you and your family",
    "A yearly learning budget",
    "Flexible hours",
    "25 days of paid leave",
    "Equity in the company",
    "A home-office allowance",
    "Paid parental leave",
]

CITIES = [
    "Nairobi, Kenya",
    "Mombasa, Kenya",
    "Kampala, Uganda",
    "Kigali, Rwanda",
    "Lagos, Nigeria",
    "Accra, Ghana",
    "Dar es Salaam, Tanzania",
    "Cape Town, South Africa",
    "Johannesburg, South Africa",
    "Addis Ababa, Ethiopia",
]

LEVEL_TITLE = {
    ExperienceLevel.ENTRY: "Associate ",
    ExperienceLevel.JUNIOR: "Junior ",
    ExperienceLevel.MID: "",
    ExperienceLevel.SENIOR: "Senior ",
    ExperienceLevel.LEAD: "Lead ",
}
LEVEL_YEARS = {"entry": 0, "junior": 1, "mid": 3, "senior": 5, "lead": 7, "executive": 10}
# Yearly salary ranges in USD before the category factor.
LEVEL_SALARY = {
    "entry": (12_000, 20_000),
    "junior": (18_000, 32_000),
    "mid": (30_000, 55_000),
    "senior": (55_000, 90_000),
    "lead": (80_000, 120_000),
    "executive": (110_000, 180_000),
}
CATEGORY_PAY = {
    "tech": 1.15,
    "data": 1.1,
    "product": 1.1,
    "design": 1.0,
    "finance": 1.0,
    "sales": 0.95,
    "marketing": 0.9,
    "operations": 0.85,
}
LEVEL_WEIGHTS = {"entry": 8, "junior": 18, "mid": 32, "senior": 26, "lead": 11, "executive": 5}
EMPLOYMENT_WEIGHTS = {"full_time": 72, "contract": 12, "part_time": 7, "internship": 5, "temporary": 4}
TEAMS = ["Payments", "Growth", "Platform", "Mobile", "Core", "Enterprise", "Marketplace", "East Africa", "West Africa"]

# first, last, location, category, role, level, years of experience
SEEKERS = [
    ("Amina", "Wanjiru", "Nairobi, Kenya", "tech", "Backend Engineer", "senior", 6),
    ("Kwame", "Mensah", "Accra, Ghana", "tech", "Frontend Engineer", "mid", 4),
    ("Chinedu", "Okafor", "Lagos, Nigeria", "data", "Data Scientist", "mid", 3),
    ("Fatuma", "Hassan", "Mombasa, Kenya", "design", "Product Designer", "junior", 2),
    ("Brian", "Otieno", "Nairobi, Kenya", "tech", "DevOps Engineer", "senior", 7),
    ("Grace", "Uwase", "Kigali, Rwanda", "product", "Product Manager", "senior", 8),
    ("Samuel", "Kiprono", "Nairobi, Kenya", "tech", "Android Developer", "junior", 1),
    ("Zanele", "Dlamini", "Johannesburg, South Africa", "finance", "Financial Analyst", "mid", 4),
    ("Yusuf", "Abdi", "Nairobi, Kenya", "data", "Data Engineer", "senior", 6),
    ("Aisha", "Bello", "Lagos, Nigeria", "marketing", "Digital Marketing Manager", "mid", 5),
    ("David", "Mwangi", "Nairobi, Kenya", "sales", "Account Executive", "mid", 4),
    ("Esther", "Nakato", "Kampala, Uganda", "operations", "Operations Manager", "senior", 9),
    ("Tendai", "Moyo", "Cape Town, South Africa", "tech", "Full-Stack Developer", "mid", 3),
    ("Lerato", "Mokoena", "Cape Town, South Africa", "design", "UX Researcher", "senior", 6),
    ("Joseph", "Mutua", "Nairobi, Kenya", "tech", "QA Automation Engineer", "entry", 0),
    ("Nadia", "Farouk", "Addis Ababa, Ethiopia", "data", "Machine Learning Engineer", "lead", 9),
    ("Peter", "Njoroge", "Nairobi, Kenya", "finance", "Accountant", "junior", 2),
    ("Halima", "Said", "Dar es Salaam, Tanzania", "marketing", "Content Marketing Specialist", "junior", 1),
    ("Kofi", "Asante", "Accra, Ghana", "sales", "Customer Success Manager", "mid", 3),
    ("Mercy", "Achieng", "Kigali, Rwanda", "product", "Product Analyst", "junior", 2),
]

# Final statuses of the demo applications, by weight; each is reached through the real workflow.
APPLICATION_OUTCOMES = {
    "pending": 30,
    "reviewing": 18,
    "shortlisted": 12,
    "interview": 10,
    "offered": 5,
    "accepted": 4,
    "rejected": 15,
    "withdrawn": 6,
}
