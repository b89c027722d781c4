import type { Knex } from 'knex';

const CATEGORIES: Array<[string, string, string]> = [
  ['apparel', '服饰鞋包', 'Apparel, shoes and bags'],
  ['food', '食品', 'Food'],
  ['fresh_produce', '生鲜果蔬', 'Fresh produce'],
  ['electronics', '数码家电', 'Electronics'],
  ['beauty', '美妆个护', 'Beauty and personal care'],
  ['books', '图书出版物', 'Books and publications'],
  ['home', '家居日用', 'Home and daily goods'],
  ['maternal_baby', '母婴用品', 'Mother and baby'],
  ['medical_devices', '医疗器械', 'Medical devices'],
  ['travel', '旅游出行', 'Travel'],
  ['services', '生活服务', 'Local services'],
];

const TEXT = (key: string, zh: string, en: string) => ({
  key,
  labelZh: zh,
  labelEn: en,
  kind: 'text',
  required: true,
  sensitive: false,
});

const DOCUMENT_TYPES = [
  {
    code: 'business_license',
    name_zh: '营业执照',
    name_en: 'Business license',
    page_labels: [],
    has_validity: true,
    fields: [
      {
        key: 'creditCode',
        labelZh: '统一社会信用代码',
        labelEn: 'Unified social credit code',
        kind: 'creditCode',
        required: true,
        sensitive: false,
      },
      TEXT('companyName', '企业名称', 'Company name'),
      TEXT('legalRepresentative', '法定代表人', 'Legal representative'),
    ],
  },
  {
    code: 'id_card',
    name_zh: '身份证',
    name_en: 'Resident ID card',
    page_labels: ['人像面', '国徽面'],
    has_validity: true,
    fields: [
      TEXT('name', '姓名', 'Name'),
      { key: 'idNumber', labelZh: '身份证号', labelEn: 'ID number', kind: 'idNumber', required: true, sensitive: true },
    ],
  },
  {
    code: 'food_business_license',
    name_zh: '食品经营许可证',
    name_en: 'Food business license',
    page_labels: [],
    has_validity: true,
    fields: [
      TEXT('licenseNumber', '许可证编号', 'License number'),
      TEXT('operatorName', '经营者名称', 'Operator name'),
    ],
  },
  {
    code: 'medical_device_permit',
    name_zh: '医疗器械经营许可证',
    name_en: 'Medical device business permit',
    page_labels: [],
    has_validity: true,
    fields: [TEXT('permitNumber', '许可证编号', 'Permit number'), TEXT('operatorName', '经营者名称', 'Operator name')],
  },
  {
    code: 'publication_permit',
    name_zh: '出版物经营许可证',
    name_en: 'Publication business permit',
    page_labels: [],
    has_validity: true,
    fields: [TEXT('permitNumber', '许可证编号', 'Permit number'), TEXT('operatorName', '经营者名称', 'Operator name')],
  },
];

const RULES: Array<[string, string | null, string | null]> = [
  ['business_license', 'enterprise', null],
  ['id_card', 'individual', null],
  ['food_business_license', null, 'food'],
  ['food_business_license', null, 'fresh_produce'],
  ['medical_device_permit', null, 'medical_devices'],
  ['publication_permit', null, 'books'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.enu('subject_type', ['enterprise', 'individual']).nullable();
    t.string('category_code', 40).nullable();
    t.string('contact_name', 40).nullable();
    t.string('contact_phone', 20).nullable();
    t.datetime('submitted_at', { precision: 3 }).nullable();
    t.string('suspension_reason', 500).nullable();
    t.enu('suspended_kind', ['manual', 'expiry']).nullable();
  });
  await knex.schema.alterTable('merchant_users', (t) => {
    t.datetime('phone_verified_at', { precision: 3 }).nullable();
  });

  await knex.schema.createTable('business_categories', (t) => {
    t.string('code', 40).primary();
    t.string('name_zh', 40).notNullable();
    t.string('name_en', 60).notNullable();
    t.integer('sort').notNullable().defaultTo(100);
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('document_types', (t) => {
    t.string('code', 40).primary();
    t.string('name_zh', 40).notNullable();
    t.string('name_en', 80).notNullable();
    t.json('fields').notNullable();
    t.json('page_labels').notNullable();
    t.boolean('has_validity').notNullable().defaultTo(true);
    t.boolean('active').notNullable().defaultTo(true);
  });
  await knex.schema.createTable('requirement_rules', (t) => {
    t.increments('id').primary();
    t.string('document_type_code', 40).notNullable().references('document_types.code');
    t.enu('subject_type', ['enterprise', 'individual']).nullable();
    t.string('category_code', 40).nullable().references('business_categories.code');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });

  await knex.schema.createTable('qualification_documents', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('type_code', 40).notNullable();
    t.enu('status', ['draft', 'pending', 'approved', 'rejected', 'superseded']).notNullable();
    t.json('fields').notNullable();
    t.text('sensitive_enc').nullable();
    t.date('valid_from').nullable();
    t.date('valid_to').nullable();
    t.boolean('long_term').notNullable().defaultTo(false);
    t.datetime('submitted_at', { precision: 3 }).nullable();
    t.datetime('reviewed_at', { precision: 3 }).nullable();
    t.bigInteger('reviewed_by').unsigned().nullable();
    t.string('reject_reason', 32).nullable();
    t.string('reject_note', 500).nullable();
    t.datetime('reminded_at', { precision: 3 }).nullable();
    t.datetime('expiry_noticed_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'type_code', 'id']);
    t.index(['tenant_id', 'status', 'valid_to']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('qualification_files', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.bigInteger('document_id').unsigned().nullable();
    t.integer('position').notNullable().defaultTo(0);
    t.string('label', 20).nullable();
    t.string('storage_key', 255).notNullable();
    t.string('content_type', 40).notNullable();
    t.integer('size').unsigned().notNullable();
    t.integer('pages').unsigned().notNullable().defaultTo(1);
    t.specificType('sha256', 'CHAR(64)').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'document_id', 'position']);
    t.foreign('tenant_id').references('tenants.id');
  });
  // The reviewers' work queue across tenants: a platform-level projection of submitted documents.
  await knex.schema.createTable('review_queue', (t) => {
    t.bigInteger('document_id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('type_code', 40).notNullable();
    t.string('category_code', 40).nullable();
    t.enu('status', ['pending', 'approved', 'rejected', 'superseded']).notNullable();
    t.datetime('submitted_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.index(['status', 'submitted_at']);
    t.index(['status', 'category_code', 'submitted_at']);
    t.index(['tenant_id']);
  });

  await knex.schema.createTable('staff_invitations', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('email', 254).nullable();
    t.string('phone', 20).nullable();
    t.enu('role', ['owner', 'staff']).notNullable();
    t.specificType('token_hash', 'CHAR(64)').notNullable();
    t.bigInteger('invited_by').unsigned().notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('accepted_at', { precision: 3 }).nullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.unique(['tenant_id', 'token_hash']);
    t.foreign('tenant_id').references('tenants.id');
  });
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('tenant_id').unsigned().notNullable();
    t.string('kind', 48).notNullable();
    t.string('title', 200).notNullable();
    t.string('body', 1000).notNullable();
    t.json('data').nullable();
    t.datetime('read_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['tenant_id', 'id']);
    t.index(['tenant_id', 'read_at']);
    t.foreign('tenant_id').references('tenants.id');
  });

  await knex('business_categories').insert(
    CATEGORIES.map(([code, zh, en], i) => ({ code, name_zh: zh, name_en: en, sort: (i + 1) * 10 })),
  );
  await knex('document_types').insert(
    DOCUMENT_TYPES.map((d) => ({ ...d, fields: JSON.stringify(d.fields), page_labels: JSON.stringify(d.page_labels) })),
  );
  await knex('requirement_rules').insert(
    RULES.map(([doc, subject, category]) => ({
      document_type_code: doc,
      subject_type: subject,
      category_code: category,
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'notifications',
    'staff_invitations',
    'review_queue',
    'qualification_files',
    'qualification_documents',
    'requirement_rules',
    'document_types',
    'business_categories',
  ]) {
    await knex.schema.dropTable(table);
  }
  await knex.schema.alterTable('merchant_users', (t) => t.dropColumn('phone_verified_at'));
  await knex.schema.alterTable('tenants', (t) => {
    for (const c of [
      'subject_type',
      'category_code',
      'contact_name',
      'contact_phone',
      'submitted_at',
      'suspension_reason',
      'suspended_kind',
    ])
      t.dropColumn(c);
  });
}
