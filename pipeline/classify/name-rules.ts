import {ruleWords, tradingNameParts} from "./supplier-key.ts";
import type {Classification, Sector, VcseKind} from "../types.ts";

export interface NameRule {
  name: string;
  sector: Sector;
  kind: VcseKind | null;
  confidence: number;
  /** Tested against ruleWords(name): upper case, punctuation as single spaces, "&" as AND, no account tags. */
  pattern: RegExp;
  /** The rule does not apply when this also matches. */
  unless?: RegExp;
  /**
   * Exclusions are checked before register names; all but individual and redacted are trusted even over a charity
   * number, because such bodies are often registered charities.
   */
  exclusion?: "statutory" | "housing" | "education" | "individual" | "redacted" | "not_vcse";
}

const COMPANY_FORM = /\b(?:LTD|LIMITED|PLC|LLP)\b/;
const TRADING_AS = /\s(?:T A|T AS|TRADING AS)\s/;
/** Legal forms and phrases that are only ever VCSE, so they beat a public-sounding word elsewhere in the name. */
const VCSE_MARKER = new RegExp(
  "\\b(?:CIC|COMMUNITY INTEREST CO(?:MPANY)?|CIO|CHARITABLE INCORPORATED ORGANI[SZ]ATION|CHARITY|CHARITIES|CHARITABLE|" +
    "BENEVOLENT|CREDIT UNION|PAROCHIAL CHURCH COUNCIL|PCC|FRIENDS OF|LEAGUE OF FRIENDS|PTA|PTFA|PARENT TEACHER|" +
    "PARENTS ASSOCIATION|U3A|UNIVERSITY OF THE THIRD AGE|COUNCIL (?:FOR|OF) VOLUNTARY SERVICES?|CVS|" +
    "VOLUNTARY (?:ACTION|SERVICES?|SECTOR|ORGANISATIONS?)|SCOUTS?|GUIDES|GIRLGUIDING)\\b"
);
const EDUCATION_NOT_PUBLIC = new RegExp(
  "\\b(?:PRE ?SCHOOLS?|SUNDAY SCHOOL|DRIVING SCHOOL|SCHOOL OF MOTORING|ROYAL COLLEGE|" +
    "(?:DANCE|DANCING|SOCCER|FOOTBALL|SWIM|SWIMMING|MUSIC|DRAMA|STAGE|THEATRE|PERFORMING ARTS|MARTIAL ARTS|SPORTS?|" +
    "TENNIS|GOLF|RIDING|KARATE|JUDO|BOXING|GYMNASTICS|CRICKET|RUGBY|HAIR|BEAUTY|LANGUAGE) (?:SCHOOL|ACADEMY))\\b"
);
const NOT_A_LOCAL_AUTHORITY =
  /\b(?:REFUGEE|RACIAL EQUALITY|COMMUNITY RELATIONS|FAITHS?|INTERFAITH|CHURCH|CARERS|TENANTS|RESIDENTS|YOUTH|SPORTS)\s+COUNCIL$/;
/** Charitable purposes a trust's name may give, immediately before "Trust" or joined to it by "and", "for", "of". */
const PURPOSE_WORD =
  "(?:HERITAGE|HISTORIC|PRESERVATION|CONSERVATION|RESTORATION|CIVIC|MEMORIAL|MUSEUMS?|THEATRE|ARTS|MUSIC|CULTURE|CULTURAL|" +
  "LEISURE|RECREATION|WILDLIFE|WOODLAND|CANAL|DEAF|BLIND)";
/** Words of places that carry religious names: "Church Lane Garage", "Chapel Street Motors". */
const PLACE_WORD = "(?!\\s(?:LANE|STREET|ROAD|FARM|VIEW|GATE|HILL|WALK|SIDE|WAY|CLOSE|COURT|MEWS|GREEN|FIELDS?|TERRACE|GARAGE|MOTORS|HOUSE|ALLERTON|EN LE FRITH))";

/** What professional bodies' names say their members do: "Chartered Institute of Housing", "Royal Town Planning Institute". */
const PROFESSION =
  "(?:ENGINEERS|ENGINEERING|SURVEYORS|SURVEYING|ACCOUNTANTS|ACCOUNTANCY|ACCOUNTING|MANAGEMENT|MANAGERS|PLANNING|PLANNERS|ARCHITECTS|" +
  "LICENSING|TRADING STANDARDS|ENVIRONMENTAL HEALTH|HIGHWAYS|TRANSPORTATION|LOGISTICS|PROCUREMENT|PURCHASING|DIRECTORS|OFFICERS|" +
  "CEMETERY|CREMATION|FINANCE|REVENUES|RATING|VALUATION|BUILDING CONTROL|PERSONNEL|SOLICITORS|LAWYERS|AUDITORS|ACTUARIES|" +
  "PRACTITIONERS|PROFESSIONALS|TOWN PLANNING)";
/** Trades that name a business: what it sells or does for a fee. */
const TRADE_WORD =
  "(?:SOLICITORS|ACCOUNTANTS|ARCHITECTS?|ARCHITECTURE|SURVEYORS|CONSTRUCTION|CONTRACTORS|CONTRACTING|BUILDERS|PLUMBING|ROOFING|" +
  "SCAFFOLDING|GLAZING|PLANT HIRE|MOTORS|GARAGES?|COACHES|TAXIS?|FUELS|ENERGY|GAS|ELECTRICAL|TELECOMS?|SOFTWARE|TECHNOLOGIES|" +
  "CONSULTANTS|CONSULTING|ESTATE AGENTS|PROPERTIES|PROPERTY SERVICES|REST HOME|NURSING HOMES?|CARE HOMES?|DAY NURSERIES|" +
  "CARE CENTRES?|TREE SURGEONS|LANDSCAPES|LANDSCAPING|CLEANING SERVICES|WASTE MANAGEMENT|PRINTERS|PRINTING|SIGNS|SUPPLIES|WHOLESALE|CATERING|" +
  "PHARMACY|CHEMISTS?|OPTICIANS|DENTAL|VETERINARY|CAPITAL|PENSIONS|LIGHTING|MAINTENANCE|HEALTHCARE|HOMECARE|MEDICAL|HOTELS?|" +
  "ENGINEERING|ENGINEERS|INSTALLATIONS|DEVELOPMENTS|RECRUITMENT|STAFFING|PERSONNEL|ACCOUNTANCY|LOCUMS|INTERNATIONAL|HOLDINGS|FOSTERING|" +
  "MANAG[A-Z]* COMP[A-Z]*$|RTM)";
/** Names with "Theatre" or "Arts" that are not arts organisations: trades that serve them, other arts, schools. */
const NOT_AN_ARTS_BODY = new RegExp(
  "\\b(?:FINE|MARTIAL|CULINARY|GRAPHIC|PRINT|PRINTING|COMMERCIAL|DIGITAL|CREATIVE MEDIA) ARTS\\b|\\b(?:COLLEGE|SCHOOL|ACADEMY|UNIVERSITY|INSTITUTE|FACULTY) (?:OF|FOR) (?:THE )?(?:[A-Z]+ )?ARTS\\b|" +
    "\\b(?:OPERATING|LECTURE|CINEMA|HOME) THEATRES?\\b|\\bTHEATRES? (?:SUPPLIES|SUPPLY|EQUIPMENT|PRODUCTS|TOKENS|TICKETS|TICKETING|LIGHTING|SOUND|SERVICES|PROJECTS|SYSTEMS|CONSULTANTS|SEATING|HIRE)\\b|" +
    `\\b${TRADE_WORD}\\b`
);

/** Who trade associations' members are or what they trade in: "Fire Protection Association", "Road Safety Markings Association". */
const TRADE =
  "(?:PROTECTION|MARKINGS|MANUFACTURERS|CONTRACTORS|SUPPLIERS|TRADE|TRADES|TRADERS|INDUSTRY|INDUSTRIES|EMPLOYERS|INSURERS|BUILDERS|" +
  "INSTALLERS|DISTRIBUTORS|DEALERS|RETAILERS|WHOLESALERS|MERCHANTS|PRODUCERS|OPERATORS|CONSULTANTS|LANDLORDS|AGENTS|PRINTERS|" +
  "HAULIERS|FREIGHT|HAULAGE|PARKING|BUSINESSES|SMALL BUSINESSES)";

/** In order: the first rule that matches decides. */
export const NAME_RULES: readonly NameRule[] = [
  {name: "redacted_commercial", sector: "unknown", kind: null, confidence: 0.9, exclusion: "redacted", pattern: /\b(?:REDACTED|WITHHELD)\b.*\bCOMMERCIAL|\bCOMMERCIAL(?:LY)? (?:SENSITIV|CONFIDENTIAL)/},
  {name: "redacted", sector: "individual", kind: null, confidence: 0.9, exclusion: "individual", pattern: /\b(?:REDACTED|WITHHELD|PERSONAL (?:DATA|INFORMATION|DETAILS)|DATA PROTECTION|DP ACT|GDPR|NAME REMOVED|NOT DISCLOSED)\b/},
  {name: "individual_placeholder", sector: "individual", kind: null, confidence: 0.9, exclusion: "individual", pattern: /^(?:(?:PRIVATE )?INDIVIDUALS?|SERVICE USERS?|FOSTER CARERS?|COUNCIL TAX REFUNDS?|PERSONAL BUDGETS?|DIRECT PAYMENTS?|CLIENTS?|HOUSING BENEFITS?|(?:RENT|DEPOSIT|TENANTS?) REFUNDS?)$/},
  {name: "personal_title", sector: "individual", kind: null, confidence: 0.8, exclusion: "individual", pattern: /^(?:MR|MRS|MS|MISS|MX)(?: [A-Z]+){1,3}$/,
    unless: /\b(?:SOCIETY|THERAPY|CENTRE|TRUST|ASSOCIATION|GROUP|CLUB|SERVICES?|CARE|COMMUNICATIONS|SOLUTIONS|CONSULTING|CONSULTANCY|ASSOCIATES|PRODUCTIONS|DESIGN|MEDIA)\b/},

  {name: "charity_commission", sector: "public", kind: null, confidence: 0.9, exclusion: "statutory", pattern: /\bCHARITY COMMISSION\b/},
  {name: "local_authority", sector: "public", kind: null, confidence: 0.9, exclusion: "statutory", unless: new RegExp(`${VCSE_MARKER.source}|${NOT_A_LOCAL_AUTHORITY.source}`),
    pattern: /\b(?:(?:CITY|COUNTY|BOROUGH|DISTRICT|TOWN|PARISH|METROPOLITAN|NEIGHBOURHOOD|VILLAGE|COMMUNITY|UNITARY|MUNICIPAL) COUNCIL|COUNCIL OF THE|COMBINED AUTHORITY|GREATER LONDON AUTHORITY|NATIONAL PARK AUTHORITY|(?:WASTE|WASTE DISPOSAL|PORT HEALTH|PASSENGER TRANSPORT|FIRE|POLICE) AUTHORITY|PASSENGER TRANSPORT EXECUTIVE|LOCAL GOVERNMENT ASSOCIATION|TRANSPORT FOR (?:LONDON|GREATER MANCHESTER|THE NORTH|WEST MIDLANDS))\b|^(?:LONDON|ROYAL) BOROUGH OF\b|^LONDON COUNCILS$|\bTFL\b|\bCOUNCIL$|\b(?:MBC|MDC)$/},
  // An NHS body's or a hospital's charitable fund ("... NHS FT Charity", "Hospitals Charity") is the NHS's, not the sector's.
  {name: "nhs_charity", sector: "public", kind: null, confidence: 0.85, exclusion: "statutory",
    pattern: /\bNHS\b.*\b(?:CHARITY|CHARITIES|CHARITABLE)\b|\bHOSPITALS? (?:CHARITY|CHARITIES|CHARITABLE (?:FUNDS?|TRUST))\b/},
  {name: "nhs", sector: "public", kind: null, confidence: 0.9, exclusion: "statutory", unless: new RegExp(`${VCSE_MARKER.source}|\\bPCT\\b.*${COMPANY_FORM.source}`),
    pattern: /\b(?:NHS|NATIONAL HEALTH SERVICE|CLINICAL COMMISSIONING GROUP|CCG|INTEGRATED CARE (?:BOARD|SYSTEM)|ICB|PRIMARY CARE TRUST|PCT|HEALTH AUTHORITY|(?:HOSPITALS?|HEALTH|HEALTHCARE|MENTAL HEALTH|TEACHING|AMBULANCE SERVICE) (?:NHS )?(?:FOUNDATION )?TRUST)\b/},
  // Public bodies as finance systems write them: cut at a fixed width ("Combined Authori"), as an authority's
  // acronym ("GMCA", "GMWDA"), or by what they run ("... Superann Fund", "... Hospital t/a", "... Mental Health"),
  // or what only a public body is paid (a precept).
  {name: "public_shorthand", sector: "public", kind: null, confidence: 0.8, exclusion: "statutory",
    unless: new RegExp(`${VCSE_MARKER.source}|${COMPANY_FORM.source}|^Y[MW]CA$|\\b(?:FOR|AND|OF|IN|MIND|ACTION|SUPPORT|FRIENDS|GROUP)\\b.*MENTAL HEALTH$`),
    pattern: /\bCOMBINED AUTH[A-Z]*$|^(?:GREATER|WEST|SOUTH|NORTH|EAST)\b.*\bCOMBINED(?: A[A-Z]*)?$|\bMETROPOLITAN B[A-Z]*$|\b(?:HEALTH|HOSPITALS?|FOUNDATION|TRUST) NH$|^[A-Z]{2,4}CA$|^[A-Z]{2,4}WDA\b|\b(?:METROPOLITAN BOROUGH|MBC|MDC|M B C|M D C)\b|\bPASSENGER TRANSPORT\b|\b(?:SUPERANN[A-Z]*|PENSION FUND|TEACHERS PENSIONS?|LOCAL GOVERNMENT PENSION|LGPS|NHS PENSIONS)\b|\bHOSPITALS? (?:T A|TRUST)\b|\bMENTAL HEALTH$|\bMENTAL HEALTH AND SOCIAL(?: C[A-Z]*)?$|\b(?:CITY|COUNTY|BOROUGH|DISTRICT|METROPOLITAN|PARISH|TOWN) COUN(?:C|CI)?$|\bPRECEPTS?\b|\b(?:DISTRICT|PARTNERSHIP|COMMUNITY) CARE TRUST$|\bSECRETARY OF STATE\b|\b(?:WASTE|MARKET|PORT|HARBOUR|NATIONAL PARK|LICENSING|JOINT|TRANSPORT|FIRE|POLICE) AUTH[A-Z]*$|\bWASTE\b.*\bAUTH(?:O|OR|ORI|ORIT|ORITY)?$|\b(?:WASTE AND RECYCLING|WASTE|RECYCLING) BOARD$|^(?:DCLG|MHCLG|DFE|DHSC|DEFRA|DCMS|DFT|BEIS|FCDO|MOJ|MOD)$/},
  {name: "emergency_services", sector: "public", kind: null, confidence: 0.9, exclusion: "statutory", unless: new RegExp(`${VCSE_MARKER.source}|${COMPANY_FORM.source}|\\bFEDERATION\\b`),
    pattern: /\b(?:POLICE|CONSTABULARY|FIRE AND RESCUE|FIRE SERVICE|FIRE BRIGADE|PROBATION (?:SERVICE|BOARD|TRUST)|(?:NATIONAL )?OFFENDER (?:MANAGEMENT|MGT)|YOUTH JUSTICE BOARD|CORONERS?|MAGISTRATES|CROWN COURT|COUNTY COURT|COURTS? SERVICE|HM COURTS|POLICING AND CRIME)\b/},
  {name: "central_government", sector: "public", kind: null, confidence: 0.9, exclusion: "statutory",
    unless: new RegExp(`${VCSE_MARKER.source}|${COMPANY_FORM.source}`),
    pattern: /\b(?:HMRC|H ?M REVENUES?|HM (?:TREASURY|LAND REGISTRY|PRISON|PRISONS|PASSPORT OFFICE|GOVERNMENT)|H ?M COURTS|(?:HER|HIS) MAJESTYS|(?:DEPARTMENT|DEPT) (?:FOR|OF) (?:EDUCATION|HEALTH|WORK|TRANSPORT|COMMUNITIES|LEVELLING|BUSINESS|ENVIRONMENT|CULTURE|DIGITAL|ENERGY|INTERNATIONAL|JUSTICE|THE ENVIRONMENT|SOCIAL)|MINISTRY OF|CABINET OFFICE|HOME OFFICE|DWP|DVLA|DVSA|ENVIRONMENT AGENCY|(?:EDUCATION AND )?SKILLS FUNDING AGENCY|LEGAL AID AGENCY|OFSTED|CARE QUALITY COMMISSION|ELECTORAL COMMISSION|INFORMATION COMMISSIONER|OMBUDSMAN|LAND REGISTRY|VALUATION OFFICE|OFFICE FOR NATIONAL STATISTICS|OFFICE OF THE PUBLIC GUARDIAN|FORESTRY (?:COMMISSION|ENGLAND)|HMCT?S|CROWN COMMERCIAL SERVICE|CROWN PROSECUTION|JOBCENTRE|PUBLIC HEALTH ENGLAND|HEALTH EDUCATION ENGLAND|HOMES ENGLAND|ARTS COUNCIL|SPORT ENGLAND|HISTORIC ENGLAND|NATURAL ENGLAND|HIGHWAYS (?:ENGLAND|AGENCY)|NATIONAL HIGHWAYS|GOVERNMENT BANKING|NETWORK RAIL|DEVELOPMENT CORPORATI(?:ON)?|DISCLOSURE AND BARRING|REGIONAL DEVELOPMENT AGENCY)\b|^(?:NORTH ?WEST|NORTH ?EAST|EAST MIDLANDS|WEST MIDLANDS|SOUTH ?WEST|SOUTH EAST(?: ENGLAND)?|EAST OF ENGLAND|LONDON) DEVELOPMENT AGENCY$/},
  // A school run as a company, an educational foundation or an "Educational Trust" (how academy trusts name
  // themselves; an "Education Trust" is as often a charity that is no school) is a school, whatever register holds it.
  {name: "school_company", sector: "public", kind: null, confidence: 0.85, exclusion: "education", unless: EDUCATION_NOT_PUBLIC,
    pattern: /\bSCHOOLS? (?:LTD|LIMITED)$|\bEDUCATION(?:AL)? FOUNDATION\b|\bEDUCATIONAL TRUST\b/},
  {name: "education", sector: "public", kind: null, confidence: 0.9, exclusion: "education",
    unless: new RegExp(`${VCSE_MARKER.source}|${COMPANY_FORM.source}|${TRADING_AS.source}|${EDUCATION_NOT_PUBLIC.source}`),
    pattern: /\b(?:UNIVERSITY|UNIVERSITIES|COLLEGES?|SCHOOLS?|ACADEMY|ACADEMIES|MULTI ACADEMY TRUST|(?:LEARNING|SCHOOLS) TRUST|SIXTH FORM|ADULT (?:AND COMMUNITY |COMMUNITY )?(?:LEARNING|EDUCATION)(?: SERVICES?)?$)\b|\b(?:PRIMARY|INFANTS?|JUNIORS?|JUNIOR AND INFANTS?|J AND I|JI|JIN)(?: SCH)?$|\bMAT$/},
  {name: "housing_association", sector: "housing_association", kind: null, confidence: 0.9, exclusion: "housing",
    pattern: /\b(?:HOUSING (?:ASSOCIATION|ASSOC|TRUST|SOCIETY|GROUP|PARTNERSHIP|FOUNDATION|CO ?OP(?:ERATIVE)?|COOP)|HOUSING AND CARE$|ABBEYFIELD|COMMUNITY HOUSING|(?:COMMUNITY|SOCIAL) HOMES|HOMES (?:TRUST|GROUP|ASSOCIATION|PARTNERSHIP)|REGISTERED (?:PROVIDER|SOCIAL LANDLORD)|ALMO)\b/,
    unless: /\b(?:HOMES ENGLAND|MAINTENANCE|REPAIRS|CONSTRUCTION|BUILDERS|DEVELOPMENTS)\b/},
  {name: "housing_name", sector: "housing_association", kind: null, confidence: 0.8, exclusion: "housing", pattern: /\bHOUSING(?: (?:LTD|LIMITED))?$/,
    unless: /\b(?:SHELTERED HOUSING|SUPPORTED HOUSING|HOUSING SOLUTIONS|MINISTRY|DEPARTMENT|INSTITUTE|INSIDE|ASSOCIATION OF|LEARNING)\b/},

  // Not VCSE whatever register holds the name: professional and trade bodies, a consumer co-operative's
  // trading companies, insurers.
  {name: "professional_body", sector: "private", kind: null, confidence: 0.8, exclusion: "not_vcse", unless: VCSE_MARKER,
    pattern: new RegExp(`\\bCHARTERED (?:INSTITUTE|INSTITUTION|SOCIETY|ASSOCIATION)\\b|\\b(?:INSTITUTE|INSTITUTION|ASSOCIATION) OF (?:[A-Z]+ ){0,3}${PROFESSION}\\b|\\b${PROFESSION} (?:INSTITUTE|INSTITUTION)\\b`)},
  {name: "trade_body", sector: "private", kind: null, confidence: 0.8, exclusion: "not_vcse", unless: VCSE_MARKER,
    pattern: new RegExp(`\\b${TRADE} (?:ASSOCIATION|FEDERATION|CONFEDERATION|GUILD)\\b|\\b(?:ASSOCIATION|FEDERATION) OF (?:[A-Z]+ ){0,3}${TRADE}\\b|\\bCHAMBERS? OF (?:COMMERCE|TRADE)\\b`)},
  {name: "consumer_cooperative_trading", sector: "private", kind: null, confidence: 0.8, exclusion: "not_vcse",
    pattern: /\bCO ?OP(?:ERATIVE)? (?:GROUP|FUNERAL ?CARE|FUNERALS?|FOODS?|PHARMACY|CHILD ?CARE|NURSERY|NURSERIES|RETAIL|TRAVEL|INSURANCE|ELECTRICAL|LEGAL SERVICES|ESTATES|WHOLESALE|BANK)\b/},
  {name: "insurer", sector: "private", kind: null, confidence: 0.8, exclusion: "not_vcse",
    unless: new RegExp(`${VCSE_MARKER.source}|\\b(?:QUALITY ASSURANCE|NATIONAL INSURANCE)\\b`),
    pattern: /\b(?:ASSURANCE|INSURANCE|INSURERS|REINSURANCE|UNDERWRITERS|UNDERWRITING)\b/},

  // "EDF - 8950977786 Community Hub Fielding Ln", "NPower - A0010655701-Wilsons Sport": an energy, water or
  // telephone bill for a building, named by the supplier and often an account and site.
  {name: "utility_account", sector: "private", kind: null, confidence: 0.8,
    pattern: /^(?:EDF(?: ENERGY)?|SSE|E ON|EON|BRITISH GAS|NPOWER|SCOTTISH POWER|OCTOPUS ENERGY|OVO|TOTAL ?ENERGIES|TOTAL GAS AND POWER|CORONA ENERGY|OPUS ENERGY|WATER PLUS|EVERFLOW|CASTLE WATER|YORKSHIRE WATER|UNITED UTILITIES|NORTHUMBRIAN WATER|SEVERN TRENT|THAMES WATER|BT)\b(?:.*\b[A-Z]?\d{8,}\b|(?!.*\b(?:TRUST|FOUNDATION|CHARITY|CHARITABLE|BENEVOLENT|FUND|COMMUNITY)\b))/},
  // Hotel chains, paid for emergency and temporary accommodation.
  {name: "hotel_chain", sector: "private", kind: null, confidence: 0.8,
    unless: new RegExp(`${VCSE_MARKER.source}|\\b(?:COMMUNITY|ASSOCIATION|TRUST|CHURCH|CLUB|SCHOOL|PARISH|VILLAGE|HALL|SOCIETY|GROUP)\\b`),
    pattern: /^(?:HOLIDAY INN(?: EXPRESS)?|PREMIER INN|TRAVELODGE|IBIS(?: STYLES| BUDGET)?|NOVOTEL|MERCURE|HILTON|DOUBLETREE|MARRIOTT|BEST WESTERN|RAMADA|DAYS INN|COURTYARD BY MARRIOTT|CROWNE PLAZA|RADISSON)\b/},

  {name: "cic", sector: "vcse", kind: "cic", confidence: 0.85, pattern: /\b(?:CIC|C I C|COMMUNITY INTEREST CO(?:MPANY)?)\b/},
  {name: "cio", sector: "vcse", kind: "charity", confidence: 0.85, pattern: /\b(?:CIO|CHARITABLE INCORPORATED ORGANI[SZ]ATION)\b/},
  {name: "charity", sector: "vcse", kind: "charity", confidence: 0.85, pattern: /\b(?:CHARITY|CHARITIES|CHAR(?:IT|I|T)A?BLE|BENEVOLENT (?:FUND|SOCIETY|ASSOCIATION)|ALMSHOUSES?)\b/,
    unless: /\bCHARITY (?:BANK|SHOP SUPPLIES)\b/},
  {name: "mutual", sector: "vcse", kind: "mutual", confidence: 0.85, pattern: /\b(?:COMMUNITY BENEFIT SOCIETY|CO ?OPERATIVE|COOPERATIVE|CO ?OP|CREDIT UNION|MUTUAL AID)\b/,
    unless: /\b(?:PLC|CO ?OPERATIVE BANK)\b/},

  // "PCC for X" and "X Police PCC" are police and crime commissioners.
  {name: "parochial_church_council", sector: "vcse", kind: "faith_group", confidence: 0.75, pattern: /\b(?:PAROCHIAL CHURCH COUNCIL|PCC)\b/,
    unless: /\bPCC FOR\b|\bPOLICE\b/},
  {name: "u3a", sector: "vcse", kind: "community_group", confidence: 0.75, pattern: /\b(?:U3A|UNIVERSITY OF THE THIRD AGE)\b/},
  {name: "school_friends", sector: "vcse", kind: "community_group", confidence: 0.75, pattern: /\b(?:FRIENDS OF|LEAGUE OF FRIENDS|PTA|PTFA|PARENT TEACHER|PARENTS ASSOCIATION)\b/},
  {name: "voluntary_infrastructure", sector: "vcse", kind: "other_non_profit", confidence: 0.75,
    pattern: /\b(?:COUNCIL (?:FOR|OF) VOLUNTARY SERVICES?|CVS|VOLUNTARY (?:ACTION|SERVICES?|SECTOR|ORGANISATIONS?)|VOLUNTEER (?:CENTRE|BUREAU)|HEALTHWATCH)\b|^[A-Z]{1,4}CV[OS]$/},
  {name: "hospice", sector: "vcse", kind: "charity", confidence: 0.75, pattern: /\bHOSPICES?\b/},
  // "Trust" alone proves nothing (NHS, academy, housing and investment trusts; "Trust Care Ltd"); a trust named
  // for a charitable purpose is a charitable trust, and so is one that is a company ("... Heritage Trust Ltd").
  // Not "care trust" (an NHS form) nor "children's services trust" (councils' own companies).
  {name: "purpose_trust", sector: "vcse", kind: "charity", confidence: 0.65,
    pattern: new RegExp(`\\b${PURPOSE_WORD} (?:(?:AND|FOR|OF) (?:THE )?(?:[A-Z]+ ){1,2})?TRUST\\b`)},
  // "for the blind", "for deaf people", "riding for the disabled": a charitable purpose; not a company selling aids.
  {name: "disability_purpose", sector: "vcse", kind: "other_non_profit", confidence: 0.65,
    pattern: /\b(?:FOR|OF) (?:THE )?(?:BLIND|DEAF|DEAFBLIND|DISABLED|PARTIALLY SIGHTED|VISUALLY IMPAIRED)(?: (?:PEOPLE|CHILDREN|PERSONS))?\b|\bHARD OF HEARING\b/,
    unless: new RegExp(`${COMPANY_FORM.source}|\\b(?:AIDS|EQUIPMENT|MOBILITY|SUPPLIES|PRODUCTS|LIFTS?|VEHICLES?|TAXIS?|HOLIDAYS|SHOP)\\b`)},
  {name: "scouts_guides", sector: "vcse", kind: "community_group", confidence: 0.75, unless: COMPANY_FORM,
    pattern: /\b(?:SCOUTS?|SCOUT (?:GROUP|ASSOCIATION|COUNCIL|HUT)|GIRL ?GUIDES?|GIRLGUIDING|GUIDE (?:UNIT|COMPANY|ASSOCIATION)|BROWNIES|BROWNIE PACK|SEA CADETS?|BOYS BRIGADE|GIRLS BRIGADE)\b/},
  {name: "community_building", sector: "vcse", kind: "community_group", confidence: 0.75,
    pattern: /\b(?:VILLAGE HALL|MEMORIAL HALL|CHURCH HALL|COMMUNITY (?:CENTRE|CENTER|ASSOCIATION|HALL|HUB|PROJECT|TRUST|PARTNERSHIP|FORUM|ACTION|CAFE|GARDEN|GARDENS|ALLOTMENT|FACILITIES|TRANSPORT|FOUNDATION|LEARNING CENTRE|SPORTS)|DEVELOPMENT TRUST|MINERS WELFARE|(?:RESIDENTS|TENANTS) (?:AND RESIDENTS )?ASSOCIATION|TENANTS AND RESIDENTS|RESIDENTS GROUP|NEIGHBOURHOOD WATCH|IN BLOOM|ALLOTMENT (?:SOCIETY|ASSOCIATION)|ALLOTMENTS|LUNCHEON CLUB|YOUTH CLUB|WOMENS INSTITUTE|TOY LIBRARY|ROTARY CLUB|LIONS CLUB|ROYAL BRITISH LEGION|FOOD ?BANK)\b/},
  // Not "pre-school": as many are private nurseries as are charities.
  {name: "playgroup", sector: "vcse", kind: "community_group", confidence: 0.65, unless: COMPANY_FORM, pattern: /\b(?:PLAYGROUP|PLAY GROUP|TODDLER GROUP|PARENT AND TODDLER)\b/},
  {name: "community_group", sector: "vcse", kind: "community_group", confidence: 0.65, unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}`),
    pattern: /\b(?:(?:COMMUNITY|ACTION|RESIDENTS|FRIENDSHIP|WOMENS|WOMEN|ART|ARTS|SOCIAL|HERITAGE|HISTORY|GARDENING|VOLUNTEER|VOLUNTEERING|PARENTS|CARERS|YOUTH|SELF HELP|PEER SUPPORT|INTERFAITH|CONSERVATION|WILDLIFE|LITTER PICKING|WALKING|SINGING|CRAFT|KNITTING|SEWING) GROUP|STREET PARTY|CHOIR$|(?:LUNCH|LUNCHEON|SOCIAL|FRIENDSHIP|GATEWAY|OVER \d+S?|CAMERA|PHOTOGRAPHIC|BOOK|GARDENING|TWINNING|CARNIVAL|FILM|GALA|VILLAGE|STREET PARTY|FESTIVAL) (?:CLUB|SOCIETY|ASSOCIATION|COMMITTEE)|RESIDENTS$)\b/},
  {name: "voluntary_service_centre", sector: "vcse", kind: "other_non_profit", confidence: 0.65, unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}`),
    pattern: /\b(?:(?:FAMILY|WOMENS|WOMEN|WELL WOMEN|DEAF|ADVICE|CARERS|HEALTHY LIVING|ADVOCACY|COUNSELLING) CENTRE|BEFRIENDING|BEFRIENDERS|DOMESTIC (?:ABUSE|VIOLENCE) (?:SERVICES?|SUPPORT|PROJECT)|RAPE CRISIS|ADVOCACY)\b/},
  // What a community group does, said in its name ("... Support Hub", "Men's Shed", "Youth Theatre", "X for
  // Families"): weak evidence, not for a company, a "T/A" name or a name that says its trade.
  {name: "community_purpose", sector: "vcse", kind: "community_group", confidence: 0.6,
    unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}|\\b${TRADE_WORD}\\b`),
    pattern: /\b(?:SUPPORT (?:GROUP|HUB|NETWORK)|COMMUNITY SUPPORT|DROP IN|DAY CENTRE|MENS SHED|REPAIR CAFE|GOOD NEIGHBOURS?|TIME ?BANK|SHOPMOBILITY|DIAL A RIDE|LIVE AT HOME|YOUTH ZONE|BEREAVEMENT|HOMELESS(?:NESS)?|REFUGEES?|ASYLUM SEEKERS?|FOOD (?:PANTRY|CLUB|AID)|SOUP KITCHEN|(?:PARENTS|CARERS|DISABILITY|YOUTH|PENSIONERS|OLDER PEOPLES?) (?:FORUM|NETWORK|GROUP)|(?:YOUTH|COMMUNITY|CHILDRENS|AMATEUR) (?:THEATRE|ARTS|CHOIR|ORCHESTRA|RADIO)|(?:ARTS|LITERATURE|BOOK|FOLK|COMMUNITY) FESTIVAL|(?:FOR|OF) (?:THE )?(?:FAMILIES|CHILDREN AND YOUNG PEOPLE|YOUNG PEOPLE|OLDER PEOPLE|ELDERLY|CARERS|REFUGEES|VETERANS|EX SERVICEMEN))\b/},
  {name: "citizens_advice", sector: "vcse", kind: "charity", confidence: 0.75, pattern: /\bCITIZENS ADVICE\b/},
  {name: "faith", sector: "vcse", kind: "faith_group", confidence: 0.75, unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}|\\bINSURANCE\\b`),
    pattern: new RegExp(
      `\\b(?:(?:CHURCH(?:ES)?|CHAPEL|CATHEDRAL|MOSQUE|MASJID|GURDWARA|SYNAGOGUE|MANDIR|KINGDOM HALL|GOSPEL HALL|MEETING HOUSE)${PLACE_WORD}|` +
        "METHODIST|BAPTIST|CONGREGATIONAL|UNITED REFORMED|QUAKERS?|RELIGIOUS SOCIETY OF FRIENDS|SALVATION ARMY|DIOCESE|DIOCESAN|PARISH OF|" +
        "ISLAMIC (?:CENTRE|SOCIETY|ASSOCIATION|TRUST)|MUSLIM (?:ASSOCIATION|COMMUNITY|WELFARE)|SIKH|HINDU|BUDDHIST|JEWISH|HEBREW CONGREGATION|TEMPLE OF|TEMPLE$|CHRISTIAN FELLOWSHIP)\\b"
    )},
  {name: "federated_charity", sector: "vcse", kind: "charity", confidence: 0.75,
    pattern: /\b(?:AGE UK|AGE CONCERN|BARNARDOS|NSPCC|RSPCA|RSPB|YMCA|YWCA|MENCAP|HOME ?START|WOMENS AID|SAMARITANS|BRITISH RED CROSS|ST JOHN AMBULANCE|VICTIM SUPPORT|CARERS TRUST|CARERS CENTRE|CROSSROADS CARE(?:RS)?|RELATE|CRUSE|MACMILLAN CANCER|MARIE CURIE|SUE RYDER|LEONARD CHESHIRE)\b/},
  // Local Minds are "Mind", "Mind in Salford" or "Leeds Mind"; "Mindful Ltd", "Peace of Mind", "Safety in Mind" are not.
  {name: "mind", sector: "vcse", kind: "charity", confidence: 0.75, pattern: /^MIND$|^MIND IN [A-Z]|^(?:[A-Z]+ ){1,3}MIND$/,
    unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}|\\b(?:IN|ON|OF|THE|A|MY|YOUR|OUR|AND|TO|BEAUTIFUL|HEALTHY|OPEN|SOUND|BRIGHT|CALM|HAPPY|CREATIVE|YOUNG|BUSY) MIND$`)},
  {name: "sports_club", sector: "vcse", kind: "sports_club", confidence: 0.7, unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}`),
    pattern: /\b(?:(?:FOOTBALL|CRICKET|RUGBY|RUGBY UNION|RUGBY LEAGUE|HOCKEY|TENNIS|LAWN TENNIS|TABLE TENNIS|BOWLING|BOWLS|GOLF|SWIMMING|SWIM|ATHLETIC|ATHLETICS|BOXING|CYCLING|ROWING|SAILING|CANOE|NETBALL|BADMINTON|RUNNING|JUDO|KARATE|GYMNASTICS?|GYM|BASKETBALL|VOLLEYBALL|SQUASH|ANGLING|SOCCER|SPORTS?|WEIGHTLIFTING) (?:AND [A-Z]+ )?(?:CLUB|ASSOCIATION|TEAM|SOCIETY)|HARRIERS|AFC|JFC|JRFC|RUFC|RLFC|ARLFC|FC)\b/},
  // "The Well Project", "Together Women Project": a voluntary project; not "Projects" (builders), a company, or
  // a council's own project.
  {name: "project", sector: "vcse", kind: "other_non_profit", confidence: 0.6, pattern: /\bPROJECT$/,
    unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}|\\bCOUNCIL\\b|\\b(?:CONSTRUCTION|BUILDING|BUILD|ENGINEERING|PROPERTY|CAPITAL|INVESTMENT|SOFTWARE|DIGITAL|IT|INFRASTRUCTURE) PROJECT$`)},
  // A charity's trustees, or the company that is its trustee ("Trustees of St Margarets", "X Society Trustee
  // Limited"), are paid for the charity; not a pension scheme's, a landlord's estate or a private settlement.
  {name: "charity_trustee", sector: "vcse", kind: "charity", confidence: 0.65,
    pattern: /^(?:THE )?TRUSTEES? (?:OF|FOR)\b|\bTRUSTEES? (?:LTD|LIMITED|COMPANY|CO)$/,
    unless: /\b(?:PENSIONS?|RETIREMENT|SCHEMES?|NOMINEES?|CUSTODIANS?|ESTATES?|SETTLEMENT|PUBLIC TRUSTEE|INVESTMENTS?|CAPITAL|PROPERTY|PROPERTIES|FAMILY|WILL)\b/},
  // Producing theatres, touring companies and community arts groups are nearly all charities or non-profits
  // ("Octagon Theatre Bolton", "Red Ladder Theatre Co Ltd", "Venture Arts"); a theatre company limited by
  // guarantee is too, but "X Arts Ltd" may be a studio or a gallery's shop. Not what serves theatres (an
  // operating theatre's supplies, tickets, lighting) nor fine, martial or culinary arts, nor an arts college.
  {name: "theatre_company", sector: "vcse", kind: "other_non_profit", confidence: 0.6, unless: NOT_AN_ARTS_BODY,
    pattern: /\b(?:THEATRE|PLAYHOUSE) (?:COMPANY|CO|TRUST|ROYAL)\b|\bTHEATRE ROYAL\b/},
  {name: "arts_organisation", sector: "vcse", kind: "other_non_profit", confidence: 0.6,
    unless: new RegExp(`${COMPANY_FORM.source}|${TRADING_AS.source}|${NOT_AN_ARTS_BODY.source}`),
    pattern: /\b(?:THEATRE|PLAYHOUSE)(?: [A-Z]+)?$|\bARTS$|\bARTS (?:CENTRE|CENTER|COLLECTIVE|NETWORK|FORUM|HUB|SPACE|PROJECT)\b/},
  {name: "association_or_society", sector: "vcse", kind: "other_non_profit", confidence: 0.6,
    pattern: /\b(?:ASSOCIATION|SOCIETY|FELLOWSHIP)\b|\bFOUNDATION$/,
    unless: new RegExp(
      `${COMPANY_FORM.source}|${TRADING_AS.source}|\\b(?:ASSOCIATION OF|SOCIETY OF|INSTITUTE|INSTITUTION|PERFORMING RIGHTS?|MEDICAL|DENTAL|DIETETIC|VETERINARY|BUILDING SOCIETY|LAW SOCIETY|TRADE|TRADES|EMPLOYERS|INDUSTRY|INDUSTRIES|MANUFACTURERS|BUSINESS|PROFESSIONAL|INSURANCE|INSURERS|FREIGHT|HAULAGE|PARKING|CHAMBER|GOVERNMENT|HOUSING|SOLICITORS|ACCOUNTANTS)\\b`
    )},
  // A company form cut at a fixed width ("... Group Ld", "... Solutions Lt", "... Limite") is a company form.
  {name: "company_form", sector: "private", kind: null, confidence: 0.6, pattern: new RegExp(`${COMPANY_FORM.source}|\\b(?:AND SONS|AND CO|SOLE TRADER|LD|LT|LIM|LIMI|LIMIT|LIMITE|LIMTED|LIMITD|INC|LLC|LP|GMBH|SARL|BV)$`)},
  {name: "trading_as", sector: "private", kind: null, confidence: 0.55, pattern: TRADING_AS},
  // A name that says which trade it is in ("Ward Hadaway Solicitors", "Carlton Fuels") and nothing voluntary: weak
  // evidence, consulted only when no register knows the name.
  {name: "trade_words", sector: "private", kind: null, confidence: 0.5, pattern: new RegExp(`\\b${TRADE_WORD}\\b`),
    unless: new RegExp(`${VCSE_MARKER.source}|\\b(?:TRUST|FOUNDATION|PROJECT|ASSOCIATION|SOCIETY|FELLOWSHIP|CLUB|CHURCH)$`)}
];

export function ruleClassification(rule: NameRule): Classification {
  return {sector: rule.sector, kind: rule.kind, basis: "name_rule", confidence: rule.confidence, matched_id: rule.name};
}

function firstRule(text: string): NameRule | null {
  for (const rule of NAME_RULES) {
    if (rule.pattern.test(text) && !rule.unless?.test(text)) return rule;
  }
  return null;
}

const TRADING_AS_RULE = NAME_RULES.find((r) => r.name === "trading_as")!;

/**
 * The first rule that matches a supplier name as published, or null. For "X T/A Y" the rules read the
 * operator X, the legal person paid: "Accord Multi Academy Trust T/A Horbury Primary Academy" is an academy
 * trust, "Excel Childcare CIC T/A Horbury Day Nursery" a CIC, "Acme Ltd T/A The Charity Shop" a company.
 * What Y trades as says what the business does, not what it is, so Y counts only when X says nothing and
 * Y names a statutory body ("English Sports Council T/A Sport England"); otherwise, and when X is a person
 * ("Mr J Lewis T/A Harrogate Scaffolding", a sole trader), the name is a business trading under another name.
 */
export function matchNameRule(name: string): NameRule | null {
  const parts = tradingNameParts(name);
  if (!parts) return firstRule(ruleWords(name));
  const operator = firstRule(ruleWords(parts.operator));
  if (operator) return operator.name === "personal_title" ? TRADING_AS_RULE : operator;
  const trading = firstRule(ruleWords(parts.trading));
  return trading?.exclusion === "statutory" ? trading : TRADING_AS_RULE;
}

/** The name rules' classification of a supplier name, or null when no rule matches. */
export function nameRule(name: string): Classification | null {
  const rule = matchNameRule(name);
  return rule ? ruleClassification(rule) : null;
}
