import {describe, expect, it} from "vitest";
import {NAME_RULES, nameRule} from "../pipeline/classify/name-rules.ts";

/** [name, sector, kind, rule] */
type Case = [string, string, string | null, string | null];

function check(cases: Case[]): void {
  for (const [name, sector, kind, rule] of cases) {
    it(`${name} -> ${sector}${kind ? `/${kind}` : ""}`, () => {
      const c = nameRule(name);
      if (sector === "none") {
        expect(c).toBeNull();
        return;
      }
      expect(c, name).not.toBeNull();
      expect({sector: c!.sector, kind: c!.kind, rule: c!.matched_id}).toEqual({sector, kind, rule});
      expect(c!.basis).toBe("name_rule");
    });
  }
}

describe("name rules: exclusions", () => {
  check([
    ["REDACTED UNDER DP ACT", "individual", null, "redacted"],
    ["Redacted Personal Data", "individual", null, "redacted"],
    ["Personal Information", "individual", null, "redacted"],
    ["Name withheld", "individual", null, "redacted"],
    ["DETAILS REDACTED", "individual", null, "redacted"],
    ["Redacted - Commercial Sensitivity", "unknown", null, "redacted_commercial"],
    ["MR J SMITH", "individual", null, "personal_title"],
    ["Mrs Gwendoline Walters", "individual", null, "personal_title"],
    ["MS Society", "vcse", "other_non_profit", "association_or_society"],
    ["Wakefield Metropolitan District Council", "public", null, "local_authority"],
    ["LEEDS CITY COUNCIL", "public", null, "local_authority"],
    ["Kirklees Council", "public", null, "local_authority"],
    ["Ossett Town Council", "public", null, "local_authority"],
    ["Harewood Parish Council", "public", null, "local_authority"],
    ["London Borough of Lambeth", "public", null, "local_authority"],
    ["Calderdale M.B.C.", "public", null, "local_authority"],
    ["West Yorkshire Combined Authority", "public", null, "local_authority"],
    ["Refugee Council", "vcse", "community_group", "community_purpose"],
    ["Leeds Teaching Hospitals NHS Trust", "public", null, "nhs"],
    ["London Councils", "public", null, "local_authority"],
    ["TfL Group Property", "public", null, "local_authority"],
    ["Northfleet Development Corporation", "public", null, "central_government"],
    ["Eastshire Waste Authority", "public", null, "local_authority"],
    ["NORTHSHIRE WASTE AND RECYCLING BOARD", "public", null, "public_shorthand"],
    ["Old Town Market Authority", "public", null, "public_shorthand"],
    ["Mayors Office of Policing and Crime", "public", null, "emergency_services"],
    ["Eastfield Col of Technology", "public", null, "education"],
    ["OLD PARK MAYORAL DEVELOPMENT CORPORATI", "public", null, "central_government"],
    ["Network Rail Infrastructure", "public", null, "central_government"],
    ["Bromley Colg of Further&Higher Educ", "public", null, "education"],
    ["South Thames Colleges Group", "public", null, "education"],
    ["Greater Manchester Mental Health NH", "public", null, "public_shorthand"],
    ["Dept for Communities and Local Govt", "public", null, "central_government"],
    ["H M Revenues and Customs", "public", null, "central_government"],
    ["Trafford M B C", "public", null, "public_shorthand"],
    ["Octavia Housing and Care", "housing_association", null, "housing_association"],
    ["Hays Accountancy Personnel", "private", null, "trade_words"],
    ["Ward Hadaway Solicitors", "private", null, "trade_words"],
    ["Apollo Property Services Group Ld", "private", null, "company_form"],
    ["South West Yorkshire Partnership NHS Foundation Trust", "public", null, "nhs"],
    ["NHS Wakefield CCG", "public", null, "nhs"],
    ["NHS Greater Manchester ICB", "public", null, "nhs"],
    ["Leeds Hospitals Charity", "public", null, "nhs_charity"],
    ["Pct Healthcare Ltd", "private", null, "company_form"],
    ["West Yorkshire Police", "public", null, "emergency_services"],
    ["West Yorkshire Fire & Rescue Service", "public", null, "emergency_services"],
    ["Chubb Fire Services Ltd", "private", null, "company_form"],
    ["HM Revenue & Customs", "public", null, "central_government"],
    ["HMRC", "public", null, "central_government"],
    ["Department for Work and Pensions", "public", null, "central_government"],
    ["Ministry of Justice", "public", null, "central_government"],
    ["Charity Commission", "public", null, "charity_commission"],
    ["University of Leeds", "public", null, "education"],
    ["Wakefield College", "public", null, "education"],
    ["Outwood Grange Academies Trust", "public", null, "education"],
    ["Delta Multi Academy Trust", "public", null, "education"],
    ["Pennine Learning Trust", "public", null, "education"],
    ["St Johns CE Primary School", "public", null, "education"],
    ["Horbury J&I", "public", null, "education"],
    ["Witherslack Group Ltd T/A Hall Cliffe School", "private", null, "company_form"],
    ["Royal College of Nursing", "none", null, null],
    ["Driving School of Excellence", "none", null, null],
    ["Together Housing Association", "housing_association", null, "housing_association"],
    ["Trafford Housing Trust Ltd", "housing_association", null, "housing_association"],
    ["Yorkshire Housing Limited", "housing_association", null, "housing_name"],
    ["Wakefield & District Housing", "housing_association", null, "housing_name"],
    ["Social Homes Maintenance LLP", "private", null, "company_form"],
    ["Homes England", "public", null, "central_government"],
    ["Persimmon Homes Ltd", "private", null, "company_form"],
    ["Irwell Valley Homes", "none", null, null]
  ]);
});

describe("name rules: legal forms", () => {
  check([
    ["Spectrum Community Health CIC", "vcse", "cic", "cic"],
    ["Excel Childcare C.I.C.", "vcse", "cic", "cic"],
    ["Freedom Personal Safety Community Interest Company", "vcse", "cic", "cic"],
    ["Access Sport CIO", "vcse", "charity", "cio"],
    ["Anything Charitable Incorporated Organisation", "vcse", "charity", "cio"],
    ["The Rainbow Charity", "vcse", "charity", "charity"],
    ["Peter De Haan Charitable Trust", "vcse", "charity", "charity"],
    ["Police Benevolent Fund", "vcse", "charity", "charity"],
    ["Leeds City Credit Union Limited", "vcse", "mutual", "mutual"],
    ["The Foster Care Co-operative Limited", "vcse", "mutual", "mutual"],
    ["Stretford Community Benefit Society", "vcse", "mutual", "mutual"],
    ["The Co-operative Bank plc", "private", null, "consumer_cooperative_trading"],
    ["Police Credit Union", "vcse", "mutual", "mutual"],
    ["Oak Forest School CIC", "vcse", "cic", "cic"]
  ]);
});

describe("name rules: unambiguous VCSE names", () => {
  check([
    ["Wakefield Hospice", "vcse", "charity", "hospice"],
    ["11th Sale Scout Group", "vcse", "community_group", "scouts_guides"],
    ["Urmston Girl Guides", "vcse", "community_group", "scouts_guides"],
    ["Sale Brownies", "vcse", "community_group", "scouts_guides"],
    ["Little Rainbows Day Nursery", "none", null, null],
    ["Beckwithshaw Village Hall", "vcse", "community_group", "community_building"],
    ["St Marys Community Centre Limited", "vcse", "community_group", "community_building"],
    ["Hall Green Community Association", "vcse", "community_group", "community_building"],
    ["Ossett Triangle Tenants and Residents Association", "vcse", "community_group", "community_building"],
    ["The Bay Foodbank", "vcse", "community_group", "community_building"],
    ["Harrogate & Ripon Centres for Voluntary Service", "vcse", "other_non_profit", "voluntary_infrastructure"],
    ["Hyndburn & Ribble Valley CVS", "vcse", "other_non_profit", "voluntary_infrastructure"],
    ["Voluntary Action Leeds", "vcse", "other_non_profit", "voluntary_infrastructure"],
    ["Healthwatch Wakefield", "vcse", "other_non_profit", "voluntary_infrastructure"],
    ["Wakefield District Citizens Advice Bureau", "vcse", "charity", "citizens_advice"],
    ["St Giles Parochial Church Council", "vcse", "faith_group", "parochial_church_council"],
    ["Ossett & Gawthorpe PCC", "vcse", "faith_group", "parochial_church_council"],
    ["Normanton Methodist Church", "vcse", "faith_group", "faith"],
    ["Wakefield Cathedral", "vcse", "faith_group", "faith"],
    ["Makkah Masjid", "vcse", "faith_group", "faith"],
    ["Guru Nanak Gurdwara", "vcse", "faith_group", "faith"],
    ["Shri Ram Temple", "vcse", "faith_group", "faith"],
    ["Leeds Hebrew Congregation Synagogue", "vcse", "faith_group", "faith"],
    ["Church Lane Garage", "private", null, "trade_words"],
    ["Church Road Motors Ltd", "private", null, "company_form"],
    ["Leeds U3A", "vcse", "community_group", "u3a"],
    ["University of the Third Age Wakefield", "vcse", "community_group", "u3a"],
    ["Age UK Wakefield District", "vcse", "charity", "federated_charity"],
    ["Age Concern Manchester", "vcse", "charity", "federated_charity"],
    ["Barnardo's", "vcse", "charity", "federated_charity"],
    ["BARNARDO\\xB4S", "vcse", "charity", "federated_charity"],
    ["Barnardo Services Ltd", "private", null, "company_form"],
    ["NSPCC", "vcse", "charity", "federated_charity"],
    ["RSPCA Leeds & Wakefield District Branch", "vcse", "charity", "federated_charity"],
    ["YMCA Hemsworth Hall", "vcse", "charity", "federated_charity"],
    ["Mind in Salford", "vcse", "charity", "mind"],
    ["Leeds Mind", "vcse", "charity", "mind"],
    ["MIND", "vcse", "charity", "mind"],
    ["Mindful Ltd", "private", null, "company_form"],
    ["Mindful", "none", null, null],
    ["Peace of Mind", "none", null, null],
    ["Safety in Mind", "none", null, null],
    ["Castleford Cricket Club", "vcse", "sports_club", "sports_club"],
    ["Kinsley Boys Football Club", "vcse", "sports_club", "sports_club"],
    ["Eastmoor Dragons ARLFC", "vcse", "sports_club", "sports_club"],
    ["Skillz FC", "vcse", "sports_club", "sports_club"],
    ["Leeds United Football Club Ltd", "private", null, "company_form"],
    ["Friends of Longford Park", "vcse", "community_group", "school_friends"],
    ["Friends of Lime Tree Primary Academy", "vcse", "community_group", "school_friends"],
    ["Flixton Infant School PTA", "vcse", "community_group", "school_friends"],
    ["Batley Road Playgroup", "vcse", "community_group", "playgroup"],
    ["Sunshine Kids Pre School", "none", null, null],
    ["Pulling Together Asian Women's Group", "vcse", "community_group", "community_group"],
    ["Abbey Rd Street Party", "vcse", "community_group", "community_group"],
    ["Featherstone Male Voice Choir", "vcse", "community_group", "community_group"],
    ["Pontefract Family Centre", "vcse", "other_non_profit", "voluntary_service_centre"],
    ["Cyril Flint Befrienders", "vcse", "other_non_profit", "voluntary_service_centre"],
    ["Alzheimers Society", "vcse", "other_non_profit", "association_or_society"],
    ["Wakefield & District Carers Association", "vcse", "other_non_profit", "association_or_society"],
    ["Featherstone Rovers Foundation", "vcse", "other_non_profit", "association_or_society"],
    ["Leeds Building Society", "none", null, null],
    ["Association of Directors of Public Health", "private", null, "professional_body"],
    ["Freight Transport Association", "none", null, null]
  ]);
});

describe("name rules: purpose trusts, disability purposes, projects", () => {
  check([
    ["Castleford Heritage Trust", "vcse", "charity", "purpose_trust"],
    ["Wakefield Theatre Trust", "vcse", "charity", "purpose_trust"],
    ["Lancashire Wildlife Trust", "vcse", "charity", "purpose_trust"],
    ["Doncaster Culture and Leisure Trust", "vcse", "charity", "purpose_trust"],
    ["The Horniman Museum and Public Park Trust", "vcse", "charity", "purpose_trust"],
    // A charitable trust that is also a company is still a charitable trust.
    ["National Coal Mining Museum for England Trust Ltd", "vcse", "charity", "purpose_trust"],
    // Traps: "Trust" alone, or with a word that is not a charitable purpose, proves nothing.
    ["Penderels Trust", "none", null, null],
    ["Energy Saving Trust", "none", null, null],
    ["Trust Care Ltd", "private", null, "company_form"],
    ["Trustmarque Solutions Ltd", "private", null, "company_form"],
    ["Heritage Building and Conservation (York) Ltd", "private", null, "company_form"],
    // A care trust is an NHS form; a children's services trust is a council's own company.
    ["Bradford District Care Trust", "public", null, "public_shorthand"],
    ["Doncaster Children's Services Trust", "none", null, null],
    ["Leeds Teaching Hospitals NHS Trust", "public", null, "nhs"],
    ["Pennine Learning Trust", "public", null, "education"],
    ["Sheffield Housing Trust", "housing_association", null, "housing_association"],

    ["Action for Blind People", "vcse", "other_non_profit", "disability_purpose"],
    ["Royal National Institute of the Blind", "vcse", "other_non_profit", "disability_purpose"],
    ["Pegasus Riding for the Disabled", "vcse", "other_non_profit", "disability_purpose"],
    ["Trafford Hard of Hearing Group", "vcse", "other_non_profit", "disability_purpose"],
    // Traps: a business selling to disabled people, a company, blinds.
    ["Mobility Aids for the Disabled", "none", null, null],
    ["Equipment for the Disabled Ltd", "private", null, "company_form"],
    ["Spectrum Blinds", "none", null, null],

    ["Together Women Project", "vcse", "other_non_profit", "project"],
    ["The Well Project", "vcse", "other_non_profit", "project"],
    // Traps: companies, builders' "projects", a project of the council itself.
    ["The Sanctuary Project Limited", "private", null, "company_form"],
    ["Bright Future Projects", "none", null, null],
    ["Northern Construction Project", "none", null, null],
    ["Wakefield Council Housing Project", "none", null, null],

    ["Horbury Churches Together", "vcse", "faith_group", "faith"],
    ["Harrogate & Knaresborough Toy Library", "vcse", "community_group", "community_building"]
  ]);
});

describe("name rules: what a community group does", () => {
  check([
    ["Northfield Community Support Hub", "vcse", "community_group", "community_purpose"],
    ["Eastgate Men's Shed", "vcse", "community_group", "community_purpose"],
    ["Riverside Carers Forum", "vcse", "community_group", "community_purpose"],
    ["Hillside Youth Theatre", "vcse", "community_group", "community_purpose"],
    ["Bethel Project for Families", "vcse", "community_group", "community_purpose"],
    ["Harbour Drop In", "vcse", "community_group", "community_purpose"],
    ["Oldtown Good Neighbours Scheme", "vcse", "community_group", "community_purpose"],
    // A company, a trade or a "T/A" name is not a community group, whatever it works on.
    ["Homeless Solutions Ltd", "private", null, "company_form"],
    ["Refugee Law Solicitors", "private", null, "trade_words"],
    ["J Smith T/A Day Centre Cleaning", "private", null, "trading_as"]
  ]);
});

describe("name rules: trading names", () => {
  check([
    // The operator before "T/A" is who is paid: an academy trust trading as a school is an academy trust...
    ["Accord Multi Academy Trust T/A Horbury Primary Academy", "public", null, "education"],
    // ...a company trading as a school is a company, and so is a company trading as a charity-sounding name.
    ["Kisimul Group Ltd T/A Kisimul School", "private", null, "company_form"],
    ["Acme Retail Ltd T/A The Charity Shop", "private", null, "company_form"],
    ["Funeral Services Limited T/A The Co-operative Funeralcare", "private", null, "company_form"],
    ["Excel Childcare C.I.C. T/A Horbury Day Nursery", "vcse", "cic", "cic"],
    // An operator that says nothing: a business, unless the trading name is a statutory body.
    ["Witherslack Group T/A Hall Cliffe Primary School", "private", null, "trading_as"],
    ["FDSO T/A Disability Sport Yorkshire", "private", null, "trading_as"],
    ["English Sports Council T/A Sport England", "public", null, "central_government"],
    // A person trading under a business name is a sole trader, not a private individual.
    ["Mr J Lewis T/A Harrogate Scaffolding", "private", null, "trading_as"],
    ["Mr S Nawaz T/AS Vision Clothing", "private", null, "trading_as"],
    ["Robert Nisbet Trading As Nisbet Design", "private", null, "trading_as"]
  ]);
});

describe("name rules: traps and fall-through", () => {
  check([
    // "Community" in a commercial name proves nothing.
    ["Community Cleaning Services Ltd", "private", null, "company_form"],
    ["AJ Community Care Ltd", "private", null, "company_form"],
    ["Community Integrated Care", "none", null, null],
    // "Trust" alone proves nothing; an NHS trust or an academy trust is public.
    ["The Adolescent & Childrens Trust", "none", null, null],
    ["Langley House Trust", "none", null, null],
    ["Bradford Teaching Hospitals NHS Foundation Trust", "public", null, "nhs"],
    ["Wakefield City Academies Trust", "public", null, "education"],
    // A parochial church council is a church; a parish council is a local authority.
    ["St Andrews Parochial Church Council", "vcse", "faith_group", "parochial_church_council"],
    ["Bardsey Parish Council", "public", null, "local_authority"],
    // An energy or water bill named by account number and site is the utility's, not the community hub's.
    ["EDF - 8950977786 Community Hub Fielding Ln", "private", null, "utility_account"],
    ["Water Plus - 4072907003 Allotments Station Rd", "private", null, "utility_account"],
    ["Total Energies - Community Hub - 3009525630", "private", null, "utility_account"],
    ["Hipping Vale Community Centre", "vcse", "community_group", "community_building"],
    // U3A is not a university.
    ["Leeds U3A", "vcse", "community_group", "u3a"],
    ["Leeds Beckett University", "public", null, "education"],
    // A company with nothing else to go on is private, with low confidence.
    ["Engie Services Limited", "private", null, "company_form"],
    ["Smith & Sons", "private", null, "company_form"],
    ["J Bloggs T/A Bloggs Plumbing", "private", null, "trading_as"],
    ["Choice Support", "none", null, null]
  ]);

  it("scores exclusions above legal forms above unambiguous names above a bare company form", () => {
    const confidence = (name: string) => nameRule(name)!.confidence;
    expect(confidence("Leeds City Council")).toBe(0.9);
    expect(confidence("Art with Heart CIC")).toBe(0.85);
    expect(confidence("Wakefield Hospice")).toBe(0.75);
    expect(confidence("Engie Services Limited")).toBe(0.6);
  });

  it("has unique rule names", () => {
    const names = NAME_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("name rules: public bodies as finance systems write them", () => {
  it.each([
    ["Example Valley Combined Authori", "public_shorthand"],
    ["Example Valley Combined Auth", "public_shorthand"],
    ["WXCA", "public_shorthand"],
    ["WXWDA (LEVY)", "public_shorthand"],
    ["Northshire Superann Fund", "public_shorthand"],
    ["Northshire Pension Fund", "public_shorthand"],
    ["Teachers Pensions", "public_shorthand"],
    ["Northtown Uni Hospital t/a", "public_shorthand"],
    ["Northshire Mental Health", "public_shorthand"],
    ["Northtown District Care Trust", "public_shorthand"],
    ["Northtown MBC (Accts Receivable)", "public_shorthand"],
    ["Northtown Metropolitan Borough", "public_shorthand"],
    ["The Secretary of State", "public_shorthand"],
    ["Southtown Metropolitan Borough Counc", "public_shorthand"],
    ["Eastshire County Coun", "public_shorthand"],
    ["Westvale Waste Disposal Autho", "public_shorthand"],
    ["North Vale Waste Regulatoin Authori", "public_shorthand"],
    ["Westshire Fire Auth", "public_shorthand"],
    ["WVPCC (PRECEPT)", "public_shorthand"],
    ["Parish Precepts 2024", "public_shorthand"],
    ["Northshire Mental Health & Social C", "public_shorthand"],
    ["Eastvale Probation Board", "emergency_services"],
    ["Southshire Probation Trust", "emergency_services"],
    ["National Offender Mgt Service", "emergency_services"],
    ["Youth Justice Board for England", "emergency_services"],
    ["Disclosure and Barring Service", "central_government"],
    ["East Midlands Development Agency", "central_government"],
    ["South West Regional Development Agency", "central_government"],
    ["Southtown Adult Learning Service", "education"],
    ["Westvale Adult & Community Learning", "education"],
    ["Northern Lights Educational Trust", "school_company"],
    ["Forestry England", "central_government"],
    ["HMCTS Fines Office", "central_government"]
  ])("%s is public", (name, rule) => {
    expect(nameRule(name)).toMatchObject({sector: "public", matched_id: rule});
  });

  it.each(["YMCA", "Action for Mental Health", "Friends of Northshire Mental Health", "Northtown Pensions Ltd", "Southtown Community Development Agency", "Council House Autos", "Adult Learning Tutors Ltd", "Southtown Music Education Trust"])("%s is not public", (name) => {
    expect(nameRule(name)?.sector).not.toBe("public");
  });
});

describe("name rules: a company group, a residents' management company, a youth zone, a misspelt charity", () => {
  it.each([
    ["Northern Airport Finance Holdings", "private"],
    ["Riverside Court RTM", "private"],
    ["Harbour View Management Company", "private"],
    ["St Ann's Gate Managemnt Comp", "private"],
    ["Eastvale Youth Zone", "vcse"],
    ["The Smith Chariable Trust", "vcse"],
    ["Eastvale Arts Festival", "vcse"],
    ["WXCVS", "vcse"],
    ["Eastvale Domestic Abuse Svc", "vcse"],
    ["British Gas", "private"],
    ["Octopus Energy - Eastvale Library", "private"],
    ["Premier Inn Northtown Central", "private"],
    ["Travelodge", "private"],
    ["Acme Systems Inc", "private"],
    ["Widget Works GmbH", "private"],
    ["Northtown Regeneration LP", "private"],
    ["Riverside Plaza Management Company Lim", "private"],
    ["Bright Horizons Fostering", "private"],
    ["Northtown Crossroads Care", "vcse"],
    ["Jones Charitble Fund", "vcse"]
  ])("%s is %s", (name, sector) => {
    expect(nameRule(name)?.sector).toBe(sector);
  });

  it.each(["Hilton Village Hall", "Ibis Community Garden", "BT Benevolent Fund"])("%s is not a hotel or a utility", (name) => {
    expect(nameRule(name)?.sector).toBe("vcse");
  });

  it.each(["Management Consultancy Trust", "Charlie's Table"])("%s is not read as either", (name) => {
    expect(["trade_words", "charity"]).not.toContain(nameRule(name)?.matched_id);
  });
});

describe("name rules: theatres and arts organisations", () => {
  check([
    ["Northtown Playhouse", "vcse", "other_non_profit", "arts_organisation"],
    ["Westbury Theatre Royal", "vcse", "other_non_profit", "theatre_company"],
    ["Lantern Theatre Co Ltd", "vcse", "other_non_profit", "theatre_company"],
    ["Riverside Theatre Bolton", "vcse", "other_non_profit", "arts_organisation"],
    ["Brightwater Arts", "vcse", "other_non_profit", "arts_organisation"],
    ["Eastside Arts Centre", "vcse", "other_non_profit", "arts_organisation"],
    // What serves a theatre, other arts, a school of the arts, and an arts company limited by shares are not.
    ["Northern Theatre Supplies", "private", null, "trade_words"],
    ["Acme Operating Theatre Products Ltd", "private", null, "company_form"],
    ["Crown Fine Arts", "none", null, null],
    ["Dragon Martial Arts", "none", null, null],
    ["Studio Arts Ltd", "private", null, "company_form"],
    ["Southtown College of Arts", "public", null, "education"]
  ]);
});

describe("name rules: a charity's trustees", () => {
  check([
    ["Trustees of St Aldhelms", "vcse", "charity", "charity_trustee"],
    ["Northshire Society for Blind People Trustee Limited", "vcse", "charity", "charity_trustee"],
    ["Acme Pension Trustees Limited", "private", null, "company_form"],
    ["Trustees of the Westbury Estate", "none", null, null],
    ["The Public Trustee", "none", null, null]
  ]);
});
