/**
 * Demo users. The five `demo-*` ids are fixed: the dev sign-in, the end-to-end tests and the
 * README refer to them. Every other store gets its own manager, and a few more analysts share
 * the review work, so that timelines name plausible people.
 */
import type { UserInput } from '../../server/store/types.js';
import type { Rng } from './random.js';

export const DEMO_USER_IDS = {
  admin: 'demo-admin',
  analyst: 'demo-analyst',
  viewer: 'demo-viewer',
  managerFuzhou: 'demo-manager-fz',
  managerXiamen: 'demo-manager-xm',
} as const;

/** Analysts who review AI detections and dispatch incidents (actors in the timelines). */
export const ANALYST_IDS = [DEMO_USER_IDS.analyst, 'analyst-chen', 'analyst-wu'] as const;

/** Actor of the creation event of AI detections: the pipeline, not a person (like `import`). */
export const AI_PIPELINE_ACTOR = 'ai_vision';

/** The manager of a store: the demo managers for FZ-001 and XM-001, `manager-qz-004` otherwise. */
export function managerIdForStore(code: string): string {
  if (code === 'FZ-001') return DEMO_USER_IDS.managerFuzhou;
  if (code === 'XM-001') return DEMO_USER_IDS.managerXiamen;
  return `manager-${code.toLowerCase()}`;
}

const SURNAMES: readonly (readonly [string, string])[] = [
  ['王', 'Wang'], ['李', 'Li'], ['张', 'Zhang'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'], ['黄', 'Huang'],
  ['林', 'Lin'], ['郑', 'Zheng'], ['吴', 'Wu'], ['许', 'Xu'], ['蔡', 'Cai'], ['何', 'He'], ['周', 'Zhou'],
];
const GIVEN: readonly (readonly [string, string])[] = [
  ['伟', 'Wei'], ['芳', 'Fang'], ['娜', 'Na'], ['敏', 'Min'], ['静', 'Jing'], ['强', 'Qiang'], ['磊', 'Lei'],
  ['洋', 'Yang'], ['艳', 'Yan'], ['勇', 'Yong'], ['杰', 'Jie'], ['婷', 'Ting'], ['斌', 'Bin'], ['建华', 'Jianhua'],
  ['志明', 'Zhiming'], ['丽华', 'Lihua'], ['海燕', 'Haiyan'], ['晓东', 'Xiaodong'], ['思远', 'Siyuan'],
];

function personName(rng: Rng, role: string): string {
  const [sz, sp] = rng.pick(SURNAMES);
  const [gz, gp] = rng.pick(GIVEN);
  return `${sz}${gz} (${sp} ${gp}, ${role})`;
}

/**
 * All demo users for the stored stores (ids from the database, codes from the demo).
 * @throws Error when FZ-001 or XM-001 is missing: the fixed demo users need them.
 */
export function demoUsers(rng: Rng, stores: readonly { id: number; code: string }[]): UserInput[] {
  const idOf = (code: string): number => {
    const store = stores.find((s) => s.code === code);
    if (!store) throw new Error(`demo store ${code} is missing`);
    return store.id;
  };
  const fz1 = idOf('FZ-001');
  const xm1 = idOf('XM-001');
  const users: UserInput[] = [
    { id: DEMO_USER_IDS.admin, name: '系统管理员 (Admin)', role: 'admin', storeIds: [] },
    { id: DEMO_USER_IDS.analyst, name: '林悦 (Lin Yue, safety analyst)', role: 'analyst', storeIds: [] },
    { id: 'analyst-chen', name: '陈思远 (Chen Siyuan, safety analyst)', role: 'analyst', storeIds: [] },
    { id: 'analyst-wu', name: '吴静 (Wu Jing, safety analyst)', role: 'analyst', storeIds: [] },
    { id: DEMO_USER_IDS.viewer, name: '访客 (Viewer, FZ-001)', role: 'viewer', storeIds: [fz1] },
    { id: DEMO_USER_IDS.managerFuzhou, name: '陈建华 (Chen Jianhua, store manager FZ-001)', role: 'store_manager', storeIds: [fz1] },
    { id: DEMO_USER_IDS.managerXiamen, name: '黄丽华 (Huang Lihua, store manager XM-001)', role: 'store_manager', storeIds: [xm1] },
  ];
  for (const s of stores) {
    if (s.code === 'FZ-001' || s.code === 'XM-001') continue;
    users.push({ id: managerIdForStore(s.code), name: personName(rng, `store manager ${s.code}`), role: 'store_manager', storeIds: [s.id] });
  }
  return users;
}
