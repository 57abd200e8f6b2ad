/**
 * The sample's 责任单位 (departments that handle incidents) of 玉州区 and 名山街道, and
 * which of them each incident category goes to by default — so that the workbench has
 * somebody to dispatch to and the sample's history names real-looking units.
 * Names and contacts are fictitious; codes are stable so sample accounts can refer to them.
 */

export interface SampleDepartment {
  code: string;
  name: string;
  /** Short name used in the category map and the history (城管, 住建 …). */
  short: string;
  level: 'district' | 'street';
  /** The district or street it serves. */
  serviceRegionCode: string;
  contactName: string;
  contactPhone: string;
}

const YUZHOU = '450902';
const MINGSHAN = '450902005';

export const SAMPLE_DEPARTMENTS: SampleDepartment[] = [
  { code: 'YZ-CG', name: '玉州区城市管理综合执法局', short: '城管', level: 'district', serviceRegionCode: YUZHOU, contactName: '黄志强', contactPhone: '0775-2831201' },
  { code: 'YZ-ZJ', name: '玉州区住房和城乡建设局', short: '住建', level: 'district', serviceRegionCode: YUZHOU, contactName: '李建国', contactPhone: '0775-2831202' },
  { code: 'YZ-SCJG', name: '玉州区市场监督管理局', short: '市场监管', level: 'district', serviceRegionCode: YUZHOU, contactName: '陈丽', contactPhone: '0775-2831203' },
  { code: 'YZ-GA', name: '玉林市公安局玉州分局', short: '公安', level: 'district', serviceRegionCode: YUZHOU, contactName: '韦军', contactPhone: '0775-2831204' },
  { code: 'YZ-MZ', name: '玉州区民政局', short: '民政', level: 'district', serviceRegionCode: YUZHOU, contactName: '覃秀英', contactPhone: '0775-2831205' },
  { code: 'YZ-GD', name: '玉林供电局玉州供电分局', short: '供电', level: 'district', serviceRegionCode: YUZHOU, contactName: '刘海', contactPhone: '0775-2831206' },
  { code: 'YZ-SW', name: '玉林市水务集团玉州分公司', short: '水务', level: 'district', serviceRegionCode: YUZHOU, contactName: '周涛', contactPhone: '0775-2831207' },
  { code: 'YZ-RS', name: '玉州区人力资源和社会保障局', short: '人社', level: 'district', serviceRegionCode: YUZHOU, contactName: '莫桂兰', contactPhone: '0775-2831208' },
  { code: 'YZ-HJ', name: '玉林市生态环境局玉州分局', short: '生态环境', level: 'district', serviceRegionCode: YUZHOU, contactName: '杨磊', contactPhone: '0775-2831209' },
  { code: 'YZ-XF', name: '玉州区消防救援大队', short: '消防', level: 'district', serviceRegionCode: YUZHOU, contactName: '梁勇', contactPhone: '0775-2831210' },
  { code: 'MS-SF', name: '名山街道司法所（人民调解委员会）', short: '司法调解', level: 'street', serviceRegionCode: MINGSHAN, contactName: '庞静', contactPhone: '0775-2831211' },
  { code: 'MS-WY', name: '名山街道物业服务企业联合党支部（金港物业）', short: '物业企业', level: 'street', serviceRegionCode: MINGSHAN, contactName: '钟明', contactPhone: '0775-2831212' },
];

/** Default departments per incident category (first = the usual one). */
export const SAMPLE_CATEGORY_DEPARTMENTS: Record<string, string[]> = {
  SR01: ['YZ-CG', 'MS-WY'], // 乱堆乱放
  SR02: ['YZ-CG', 'YZ-SCJG'], // 占道经营
  SS01: ['YZ-ZJ', 'YZ-GD'], // 路灯损坏
  SS02: ['YZ-ZJ', 'YZ-SW'], // 井盖缺失
  AQ01: ['YZ-XF', 'MS-WY'], // 消防通道堵塞
  AQ02: ['YZ-XF', 'MS-WY'], // 电动车违规充电
  MD01: ['MS-SF', 'YZ-GA'], // 邻里纠纷
  MD02: ['YZ-ZJ', 'MS-WY'], // 物业纠纷
  MS01: ['YZ-MZ'], // 助老助残
  MS02: ['YZ-RS'], // 就业社保咨询
  HJ01: ['YZ-HJ', 'YZ-GA'], // 噪音扰民
  HJ02: ['YZ-SW', 'YZ-ZJ'], // 污水外溢
};

export const departmentByCode = (code: string): SampleDepartment => {
  const found = SAMPLE_DEPARTMENTS.find((d) => d.code === code);
  if (!found) throw new Error(`unknown sample department ${code}`);
  return found;
};
