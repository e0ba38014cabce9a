/** The UI's words: Simplified Chinese first, English second. */
export type Language = 'zh' | 'en';

const MESSAGES = {
  title: { zh: 'fabpool 共享工单池', en: 'fabpool shared work-order pool' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  login: { zh: '登录', en: 'Log in' },
  logout: { zh: '退出', en: 'Log out' },
  loginFailed: { zh: '用户名或密码错误，请重试', en: 'Wrong username or password: try again' },
  totp: { zh: '动态口令', en: 'One-time code' },
  totpHelp: {
    zh: '运营和审计账号：输入验证器 App 上的 6 位数字',
    en: 'Operator and auditor accounts: the 6 digits your authenticator app shows',
  },
  totpRequired: {
    zh: '请输入验证器 App 上的动态口令',
    en: 'Enter the one-time code from your authenticator app',
  },
  totpInvalid: {
    zh: '动态口令不对或已过期，请输入最新的 6 位数字',
    en: 'The one-time code is wrong or expired: enter the latest 6 digits',
  },
  board: { zh: '工单看板', en: 'Work-order board' },
  workOrder: { zh: '工单', en: 'Work order' },
  part: { zh: '零件', en: 'Part' },
  quantity: { zh: '数量', en: 'Quantity' },
  due: { zh: '交期班次', en: 'Due shift' },
  priority: { zh: '优先级', en: 'Priority' },
  lots: { zh: '批次', en: 'Lots' },
  rush: { zh: '插单', en: 'Rush' },
  normal: { zh: '常规', en: 'Normal' },
  loading: { zh: '加载中…', en: 'Loading…' },
  empty: { zh: '工单池为空', en: 'The pool is empty' },
  loadFailed: { zh: '加载失败：', en: 'Could not load: ' },
  OPEN: { zh: '待生产', en: 'Open' },
  CLOSED: { zh: '已完成', en: 'Closed' },
  CANCELLED: { zh: '已取消', en: 'Cancelled' },
} as const;

export type MessageKey = keyof typeof MESSAGES;

export function translate(language: Language, key: MessageKey): string {
  return MESSAGES[key][language];
}
