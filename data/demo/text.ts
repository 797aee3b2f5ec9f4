/**
 * Short bilingual texts for demo rows: incident descriptions, closing notes, dismissal reasons.
 * Chinese first (what riders and store managers write), English in parentheses for everyone else.
 */
import type { Category, Resolution, Severity } from '../../server/domain/incident.js';
import type { Rng } from './random.js';

const ACCIDENT_TEXT: Partial<Record<Category, readonly string[]>> = {
  vehicle_collision: ['与机动车碰撞 (collision with a car)', '路口转弯被小汽车剐蹭 (clipped by a turning car at a junction)', '与货车发生碰撞 (collision with a truck)'],
  non_motor_collision: ['与电动自行车相撞 (collided with another e-bike)', '非机动车道内追尾 (rear-end collision in the bike lane)'],
  pedestrian_collision: ['避让不及碰到行人 (hit a pedestrian)', '人行横道处碰撞行人 (hit a pedestrian on a crossing)'],
  single_vehicle_fall: ['雨天路滑摔倒 (fell on a wet road)', '井盖处失控摔车 (lost control on a manhole cover)', '急刹摔倒 (fell while braking hard)'],
  property_damage: ['撞坏路边护栏 (damaged a roadside railing)', '剐蹭停放车辆 (scraped a parked car)'],
  other: ['其他事故，详情待补充 (other accident, details to follow)'],
};

const INJURY_TEXT: Record<Severity, string> = {
  1: '，无人受伤 (no injuries)',
  2: '，骑手轻微擦伤 (rider lightly grazed)',
  3: '，骑手送医治疗 (rider taken to hospital)',
  4: '，伤势严重 (serious injuries)',
};

const EXCEPTION_TEXT: Partial<Record<Category, string>> = {
  wrong_way: '逆行 (wrong-way riding)',
  red_light: '闯红灯 (ran a red light)',
  no_helmet: '未戴头盔 (no helmet)',
  phone_while_riding: '骑行时使用手机 (phone while riding)',
  speeding: '超速 (speeding)',
  sidewalk_riding: '人行道骑行 (riding on the sidewalk)',
  carrying_passenger: '违规载人 (carrying a passenger)',
  other: '其他违规 (other violation)',
};

export function accidentDescription(rng: Rng, category: Category, severity: Severity): string {
  const options = ACCIDENT_TEXT[category] ?? ACCIDENT_TEXT.other!;
  return rng.pick(options) + INJURY_TEXT[severity];
}

export function exceptionDescription(category: Category): string {
  return `AI 识别：${EXCEPTION_TEXT[category] ?? EXCEPTION_TEXT.other!}`;
}

export const RESOLUTION_NOTES: Record<Resolution, string> = {
  rider_coached: '已对骑手进行安全复训 (rider coached on safe riding)',
  rider_penalized: '按规定处罚并复训 (rider penalised per policy and coached)',
  route_changed: '调整配送路线，避开该路段 (delivery route changed to avoid this road)',
  facility_fixed: '已报交管部门，设施已修复 (reported to the traffic police, facility fixed)',
  insurance_claim: '保险理赔已完成 (insurance claim settled)',
  no_action_needed: '核实后无需处理 (checked, no action needed)',
  other: '已处理 (handled)',
};

export const DISMISS_REASONS: readonly string[] = [
  '重复上报 (duplicate report)',
  '非本站骑手 (not one of our riders)',
  '证据不足 (insufficient evidence)',
  '信息有误，已核实 (wrong information, checked)',
];

export const REJECT_REASONS: readonly string[] = [
  'AI 误报，复核驳回 (false positive, rejected in review)',
  'AI 误报：图像不清 (false positive: image unclear)',
  'AI 误报：非配送骑手 (false positive: not a delivery rider)',
];

export const CREATED_NOTES = {
  ai: 'AI 自动识别 (detected by the AI pipeline)',
  manual: '门店上报 (reported by the store)',
} as const;

export const IN_PROGRESS_NOTES: readonly (string | null)[] = [null, '已联系骑手 (rider contacted)', '现场核实中 (checking on site)'];
