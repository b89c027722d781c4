/** The demo that `npm start` seeds and prints. Development data only. */
export const DEMO = {
  admin: { email: 'admin@shopfleet.local', password: 'shopfleet-admin-demo', name: '平台管理员' },
  reviewer: { email: 'reviewer@shopfleet.local', password: 'shopfleet-reviewer-demo', name: '平台审核员' },
  owner: { email: 'owner@demo.shop', password: 'shopfleet-owner-demo', name: '演示店主' },
  staff: { email: 'staff@demo.shop', password: 'shopfleet-staff-demo', name: '演示店员' },
  tenant: {
    slug: 'demo',
    name: '拾光生活馆',
    description: '精选家居好物 · Shopfleet 演示店铺',
    categoryCode: 'home',
    contactPhone: '13800000001',
  },
  /** A second shop whose documents wait for review, so the review queue has work. */
  pending: {
    tenant: {
      slug: 'qinghe',
      name: '青禾鲜果',
      description: '产地直发的应季水果',
      categoryCode: 'fresh_produce',
      contactPhone: '13800000002',
    },
    owner: { email: 'owner@qinghe.shop', password: 'shopfleet-qinghe-demo', name: '青禾店主' },
  },
  shopperPhone: '13800138000',
} as const;
