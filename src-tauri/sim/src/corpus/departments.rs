//! The departments: each one's name, short name, role titles and skills, with its weight.

/// A department: its name, short name, role titles and skills.
pub(super) struct Department {
    pub(super) name: &'static str,
    pub(super) short: &'static str,
    pub(super) titles: &'static [&'static str],
    pub(super) skills: &'static [&'static str],
}

pub(super) const DEPARTMENTS: &[(u64, Department)] = &[
    (
        18,
        Department {
            name: "Engineering and Technical",
            short: "Engineering",
            titles: &[
                "Software Engineer",
                "Backend Engineer",
                "Data Engineer",
                "Data Scientist",
                "DevOps Engineer",
                "Frontend Developer",
                "Machine Learning Engineer",
                "QA Engineer",
                "Site Reliability Engineer",
                "Mobile Developer",
                "Python Developer",
            ],
            skills: &[
                "python",
                "java",
                "javascript",
                "typescript",
                "sql",
                "kubernetes",
                "aws",
                "docker",
                "react",
                "go",
                "rust",
                "c#",
                "node.js",
                "spark",
                "terraform",
                "linux",
                "machine learning",
            ],
        },
    ),
    (
        14,
        Department {
            name: "Sales",
            short: "Sales",
            titles: &[
                "Account Executive",
                "Sales Representative",
                "Key Account Manager",
                "Business Development Representative",
            ],
            skills: &[
                "cold calling",
                "hubspot",
                "crm",
                "account management",
                "negotiation",
                "salesforce",
                "lead generation",
                "saas",
            ],
        },
    ),
    (
        12,
        Department {
            name: "Finance & Accounting",
            short: "Finance",
            titles: &[
                "Accountant",
                "Financial Analyst",
                "Controller",
                "Auditor",
                "Tax Advisor",
            ],
            skills: &[
                "excel",
                "ifrs",
                "sap",
                "financial modeling",
                "budgeting",
                "p&l management",
                "vba",
                "power bi",
            ],
        },
    ),
    (
        10,
        Department {
            name: "Medical",
            short: "Medical",
            titles: &[
                "Nurse",
                "Physiotherapist",
                "General Practitioner",
                "Pharmacist",
                "Clinical Research Associate",
            ],
            skills: &[
                "patient care",
                "epic systems",
                "clinical research",
                "problem solving",
                "first aid",
                "gcp",
            ],
        },
    ),
    (
        9,
        Department {
            name: "Marketing",
            short: "Marketing",
            titles: &[
                "Marketing Specialist",
                "SEO Specialist",
                "Content Writer",
                "Brand Manager",
                "Growth Marketer",
            ],
            skills: &[
                "seo",
                "google analytics",
                "copywriting",
                "content strategy",
                "social media",
                "sql",
                "hubspot",
            ],
        },
    ),
    (
        7,
        Department {
            name: "Education",
            short: "Education",
            titles: &[
                "Teacher",
                "Lecturer",
                "Teaching Assistant",
                "Curriculum Designer",
            ],
            skills: &[
                "curriculum design",
                "classroom management",
                "public speaking",
                "e-learning",
                "scratch",
            ],
        },
    ),
    (
        7,
        Department {
            name: "Operations",
            short: "Operations",
            titles: &[
                "Operations Analyst",
                "Logistics Coordinator",
                "Supply Chain Analyst",
                "Project Manager",
            ],
            skills: &["lean", "six sigma", "sap", "excel", "logistics", "jira"],
        },
    ),
    (
        6,
        Department {
            name: "Customer Service",
            short: "Customer Service",
            titles: &[
                "Customer Success Manager",
                "Support Specialist",
                "Call Center Agent",
            ],
            skills: &["zendesk", "customer support", "communication", "crm"],
        },
    ),
    (
        5,
        Department {
            name: "Human Resources",
            short: "People",
            titles: &[
                "HR Generalist",
                "Recruiter",
                "Talent Partner",
                "People Partner",
            ],
            skills: &["recruiting", "onboarding", "workday", "employee relations"],
        },
    ),
    (
        4,
        Department {
            name: "Legal",
            short: "Legal",
            titles: &["Lawyer", "Legal Counsel", "Paralegal"],
            skills: &["contract law", "compliance", "gdpr", "litigation"],
        },
    ),
    (
        4,
        Department {
            name: "Design",
            short: "Design",
            titles: &[
                "Product Designer",
                "UX Designer",
                "Art Director",
                "Graphic Designer",
            ],
            skills: &[
                "figma",
                "sketch",
                "illustrator",
                "user research",
                "photoshop",
            ],
        },
    ),
    (
        4,
        Department {
            name: "Research",
            short: "Research",
            titles: &["Research Scientist", "Data Analyst", "Research Assistant"],
            skills: &["python", "r", "statistics", "matlab", "sql"],
        },
    ),
    (
        3,
        Department {
            name: "C-Suite",
            short: "Executive",
            titles: &[
                "Chief Executive Officer",
                "Chief Technology Officer",
                "Chief Financial Officer",
                "Chief Operating Officer",
            ],
            skills: &[
                "leadership",
                "strategy",
                "fundraising",
                "p&l management",
                "board relations",
            ],
        },
    ),
];
