/** The UI's words: Simplified Chinese first, English second. */
export type Language = 'zh' | 'en';

const MESSAGES = {
  title: { zh: 'fabpool 共享工单池', en: 'fabpool shared work-order pool' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  login: { zh: '登录', en: 'Log in' },
  logout: { zh: '退出', en: 'Log out' },
  loginFailed: { zh: '用户名或密码错误，请重试', en: 'Wrong username or password: try again' },
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
