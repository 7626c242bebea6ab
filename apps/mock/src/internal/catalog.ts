/**
 * The product catalog behind the synthetic data: real Office 365 and Dynamics product names, their
 * service codes and names, their SKU GUIDs and the workloads each product licenses.
 */

/** A workload a product licenses, with how actively it is typically used. */
export interface Workload {
  readonly code: string;
  readonly name: string;
  /** Lowest and highest share of qualified licenses that are active. */
  readonly activeShare: readonly [number, number];
}

/** One product (SKU). */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly serviceCode: 'o365' | 'crm';
  readonly serviceName: string;
  readonly workloads: readonly Workload[];
  /** How often partners sell it, relative to the others. */
  readonly popularity: number;
  /** Share of a customer's seats that typically hold this product. */
  readonly seatShare: readonly [number, number];
}

function workload(code: string, name: string, low: number, high: number): Workload {
  return { code, name, activeShare: [low, high] };
}

const EXO = workload('EXO', 'Exchange', 0.75, 1);
const SPO = workload('SPO', 'SharePoint', 0.4, 0.9);
const OD4B = workload('OD4B', 'OneDrive', 0.3, 0.85);
const SFB = workload('SFB', 'Skype for Business', 0.05, 0.45);
const TEAMS = workload('TEAMS', 'Teams', 0.6, 1);
const APPS = workload('PROPLUS', 'Microsoft 365 Apps', 0.5, 0.95);
const YAMMER = workload('YAM', 'Yammer', 0.05, 0.4);
const POWERBI = workload('PBI', 'Power BI', 0.2, 0.8);
const PROJECT = workload('PROJECT', 'Project', 0.3, 0.9);
const VISIO = workload('VISIO', 'Visio', 0.2, 0.8);
const SALES = workload('D365SALES', 'Dynamics 365 Sales', 0.4, 0.95);
const SERVICE = workload('D365CS', 'Dynamics 365 Customer Service', 0.4, 0.95);
const FIELD = workload('D365FS', 'Dynamics 365 Field Service', 0.35, 0.9);
const BUSINESS_CENTRAL = workload('D365BC', 'Dynamics 365 Business Central', 0.5, 0.95);
const TEAM_MEMBERS = workload('D365TM', 'Dynamics 365 Team Members', 0.2, 0.7);
const CRM = workload('CRM', 'Dynamics CRM Online', 0.3, 0.9);

const office = { serviceCode: 'o365', serviceName: 'Microsoft Office 365' } as const;
const dynamics = { serviceCode: 'crm', serviceName: 'Microsoft Dynamics' } as const;

/** The products, in a fixed order (their index is part of the data derivation: append only). */
export const products: readonly Product[] = [
  {
    id: '18181a46-0d4e-45cd-891e-60aabd171b4e',
    name: 'OFFICE 365 ENTERPRISE E1',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, SFB, YAMMER],
    popularity: 8,
    seatShare: [0.2, 0.9],
  },
  {
    id: '6fd2c87f-b296-42f0-b197-1e91e994b900',
    name: 'OFFICE 365 ENTERPRISE E3',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, SFB, APPS, YAMMER],
    popularity: 10,
    seatShare: [0.4, 1],
  },
  {
    id: 'c7df2760-2c81-4ef7-b578-5b5392b571df',
    name: 'OFFICE 365 ENTERPRISE E5',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, SFB, APPS, YAMMER, POWERBI],
    popularity: 5,
    seatShare: [0.05, 0.5],
  },
  {
    id: '4b585984-651b-448a-9e53-3b10f069cf7f',
    name: 'OFFICE 365 F3',
    ...office,
    workloads: [EXO, SPO, TEAMS],
    popularity: 4,
    seatShare: [0.1, 0.6],
  },
  {
    id: '05e9a617-0261-4cee-bb44-138d3ef5d965',
    name: 'MICROSOFT 365 E3',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, APPS, YAMMER],
    popularity: 9,
    seatShare: [0.4, 1],
  },
  {
    id: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
    name: 'MICROSOFT 365 E5',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, APPS, YAMMER, POWERBI],
    popularity: 5,
    seatShare: [0.05, 0.4],
  },
  {
    id: '66b55226-6b4f-492c-910c-a3b7a3c9d993',
    name: 'MICROSOFT 365 F3',
    ...office,
    workloads: [EXO, SPO, TEAMS],
    popularity: 4,
    seatShare: [0.1, 0.7],
  },
  {
    id: '3b555118-da6a-4418-894f-7df1e2096870',
    name: 'MICROSOFT 365 BUSINESS BASIC',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS],
    popularity: 10,
    seatShare: [0.3, 1],
  },
  {
    id: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
    name: 'MICROSOFT 365 BUSINESS STANDARD',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, APPS],
    popularity: 10,
    seatShare: [0.3, 1],
  },
  {
    id: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46',
    name: 'MICROSOFT 365 BUSINESS PREMIUM',
    ...office,
    workloads: [EXO, SPO, OD4B, TEAMS, APPS],
    popularity: 9,
    seatShare: [0.2, 1],
  },
  {
    id: 'cdd28e44-67e3-425e-be4c-737fab2899d3',
    name: 'MICROSOFT 365 APPS FOR BUSINESS',
    ...office,
    workloads: [APPS, OD4B],
    popularity: 6,
    seatShare: [0.1, 0.6],
  },
  {
    id: 'c2273bd0-dff7-4215-9ef5-2c7bcfb06425',
    name: 'MICROSOFT 365 APPS FOR ENTERPRISE',
    ...office,
    workloads: [APPS, OD4B],
    popularity: 5,
    seatShare: [0.1, 0.6],
  },
  {
    id: '4b9405b0-7788-4568-add1-99614e613b69',
    name: 'EXCHANGE ONLINE (PLAN 1)',
    ...office,
    workloads: [EXO],
    popularity: 8,
    seatShare: [0.1, 0.8],
  },
  {
    id: '19ec0d23-8335-4cbd-94ac-6050e30712fa',
    name: 'EXCHANGE ONLINE (PLAN 2)',
    ...office,
    workloads: [EXO],
    popularity: 4,
    seatShare: [0.05, 0.5],
  },
  {
    id: '80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82',
    name: 'EXCHANGE ONLINE KIOSK',
    ...office,
    workloads: [EXO],
    popularity: 3,
    seatShare: [0.05, 0.4],
  },
  {
    id: '45a2423b-e884-448d-a831-d9e139c52d2f',
    name: 'EXCHANGE ONLINE PROTECTION',
    ...office,
    workloads: [EXO],
    popularity: 4,
    seatShare: [0.1, 1],
  },
  {
    id: '1fc08a02-8b3d-43b9-831e-f76859e04e1a',
    name: 'SHAREPOINT ONLINE (PLAN 1)',
    ...office,
    workloads: [SPO, OD4B],
    popularity: 3,
    seatShare: [0.05, 0.5],
  },
  {
    id: 'a9732ec9-17d9-494c-a51c-d6b45b384dcb',
    name: 'SHAREPOINT ONLINE (PLAN 2)',
    ...office,
    workloads: [SPO, OD4B],
    popularity: 2,
    seatShare: [0.05, 0.4],
  },
  {
    id: '53818b1b-4a27-454b-8896-0dba576410e6',
    name: 'PROJECT PLAN 3',
    ...office,
    workloads: [PROJECT, SPO],
    popularity: 4,
    seatShare: [0.02, 0.2],
  },
  {
    id: 'c5928f49-12ba-48f7-ada3-0d743a3601d5',
    name: 'VISIO PLAN 2',
    ...office,
    workloads: [VISIO, OD4B],
    popularity: 4,
    seatShare: [0.02, 0.2],
  },
  {
    id: 'f8a1db68-be16-40ed-86d5-cb42ce701560',
    name: 'POWER BI PRO',
    ...office,
    workloads: [POWERBI],
    popularity: 6,
    seatShare: [0.05, 0.4],
  },
  {
    id: 'e43b5b99-8dfb-405f-9987-dc307f34bcbd',
    name: 'MICROSOFT TEAMS PHONE STANDARD',
    ...office,
    workloads: [TEAMS, SFB],
    popularity: 4,
    seatShare: [0.05, 0.6],
  },
  {
    id: '0c266dff-15dd-4b49-8397-2bb16070ed52',
    name: 'MICROSOFT 365 AUDIO CONFERENCING',
    ...office,
    workloads: [TEAMS, SFB],
    popularity: 4,
    seatShare: [0.05, 0.5],
  },
  {
    id: 'd42c793f-6c78-4f43-92ca-e8f6a02b035f',
    name: 'SKYPE FOR BUSINESS ONLINE (PLAN 2)',
    ...office,
    workloads: [SFB],
    popularity: 2,
    seatShare: [0.05, 0.5],
  },
  {
    id: '710779e8-3d4a-4c88-adb9-386c958d1fdf',
    name: 'MICROSOFT TEAMS EXPLORATORY',
    ...office,
    workloads: [TEAMS],
    popularity: 3,
    seatShare: [0.05, 0.8],
  },
  {
    id: '1e1a282c-9c54-43a2-9310-98ef728faace',
    name: 'DYNAMICS 365 SALES ENTERPRISE',
    ...dynamics,
    workloads: [SALES],
    popularity: 4,
    seatShare: [0.02, 0.3],
  },
  {
    id: '749742bf-0d37-4158-a120-33567104deeb',
    name: 'DYNAMICS 365 CUSTOMER SERVICE ENTERPRISE',
    ...dynamics,
    workloads: [SERVICE],
    popularity: 3,
    seatShare: [0.02, 0.3],
  },
  {
    id: 'ea126fc5-a19e-42e2-a731-da9d437bffcf',
    name: 'DYNAMICS 365 CUSTOMER ENGAGEMENT PLAN',
    ...dynamics,
    workloads: [SALES, SERVICE, FIELD],
    popularity: 2,
    seatShare: [0.02, 0.2],
  },
  {
    id: '7ac9fe77-66b7-4e5e-9e46-10eed1cff547',
    name: 'DYNAMICS 365 TEAM MEMBERS',
    ...dynamics,
    workloads: [TEAM_MEMBERS],
    popularity: 3,
    seatShare: [0.05, 0.5],
  },
  {
    id: '2880026b-2b0c-4251-8656-5d41ff11e3aa',
    name: 'DYNAMICS 365 BUSINESS CENTRAL ESSENTIALS',
    ...dynamics,
    workloads: [BUSINESS_CENTRAL],
    popularity: 3,
    seatShare: [0.02, 0.3],
  },
  {
    id: 'f991cecc-3f91-4cd0-a9a8-bf1c8167e029',
    name: 'DYNAMICS 365 BUSINESS CENTRAL PREMIUM',
    ...dynamics,
    workloads: [BUSINESS_CENTRAL],
    popularity: 2,
    seatShare: [0.02, 0.2],
  },
  {
    id: 'c7d15985-e746-4f01-b113-20b575898250',
    name: 'DYNAMICS 365 FIELD SERVICE',
    ...dynamics,
    workloads: [FIELD],
    popularity: 2,
    seatShare: [0.02, 0.2],
  },
  {
    id: 'd17b27af-3f49-4822-99f9-56a661538792',
    name: 'MICROSOFT DYNAMICS CRM ONLINE',
    ...dynamics,
    workloads: [CRM],
    popularity: 2,
    seatShare: [0.02, 0.3],
  },
  {
    id: '906af65a-2970-46d5-9b58-4e9aa50f0657',
    name: 'MICROSOFT DYNAMICS CRM ONLINE BASIC',
    ...dynamics,
    workloads: [CRM],
    popularity: 1,
    seatShare: [0.02, 0.3],
  },
];

/** Sales channels and how often each occurs (reseller dominates, as for a CSP). */
export const channels: readonly { readonly name: string; readonly weight: number }[] = [
  { name: 'reseller', weight: 70 },
  { name: 'indirectReseller', weight: 20 },
  { name: 'direct', weight: 10 },
];

/** Customer name parts (Microsoft's fictitious companies), combined with a region and a legal form. */
export const customerNameBases: readonly string[] = [
  'Contoso',
  'Fabrikam',
  'Northwind Traders',
  'Adventure Works',
  'Tailspin Toys',
  'Wide World Importers',
  'Litware',
  'Proseware',
  'Woodgrove Bank',
  'Alpine Ski House',
  'Coho Winery',
  'Fourth Coffee',
  "Margie's Travel",
  'Lucerne Publishing',
  'Blue Yonder Airlines',
  'Trey Research',
  'Wingtip Toys',
  'Relecloud',
  'Humongous Insurance',
  'Graphic Design Institute',
  'City Power & Light',
  'Consolidated Messenger',
  'VanArsdel',
  'Southridge Video',
  'Datum Corporation',
  'Bellows College',
  'Best For You Organics',
  'First Up Consultants',
  'Lamna Healthcare',
  "Munson's Pickles and Preserves",
  'Nod Publishers',
  "Liberty's Delightful Sinful Bakery",
  'Fincher Architects',
  'Wingtip Bikes',
  'Tasmanian Traders',
  'Boulder Innovations',
  'Olympia Labs',
  'Hexa Logistics',
  'Cronus',
  'Quintessential Water',
];

/** Regions added to customer names. */
export const customerNameRegions: readonly string[] = [
  '',
  'North',
  'South',
  'Europe',
  'Pacific',
  'Nordic',
  'Iberia',
  'Benelux',
  'DACH',
  'UK',
  'APAC',
  'Americas',
];

/** Legal forms added to customer names. */
export const customerNameForms: readonly string[] = [
  'Ltd',
  'Inc.',
  'GmbH',
  'LLC',
  'S.A.',
  'Pty Ltd',
  'AB',
  'B.V.',
  'plc',
  'Corp.',
  'S.r.l.',
  'K.K.',
];

/**
 * Customer names that trip naive code (the `nonAsciiNames` quirk): German, French, Japanese and
 * Chinese names, an emoji, a comma, double and single quotes, and a leading `=` (a spreadsheet
 * formula). Customers type their own names; nothing keeps them ASCII.
 */
export const awkwardCustomerNames: readonly string[] = [
  'Müller & Söhne Maschinenbau GmbH',
  'Größenwahn Straßenbau AG',
  'Boulangerie Éclair & Fils SARL',
  'Société des Œuvres Françaises',
  '株式会社コントソ',
  '北京法布里坎科技有限公司',
  'Rocket 🚀 Logistics Ltd',
  'Smith, Jones and Partners LLP',
  'The "Quoted" Company Inc.',
  "O'Brien & D'Arcy Ltd",
  '=1+2 Consulting',
];
