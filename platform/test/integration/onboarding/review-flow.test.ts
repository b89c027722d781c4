import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform';
import { bearer, createPlatformUser, platformLogin } from '../../helpers/fixtures';
import { addDocument, signUp, uploadFile, png, ID_NUMBER } from '../../helpers/onboarding';
import { until } from '../../helpers/releases';

let t: TestPlatform;
let reviewer: string;
let admin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  reviewer = (await platformLogin(t, await createPlatformUser(t, 'reviewer'))).accessToken;
  admin = (await platformLogin(t, await createPlatformUser(t, 'admin'))).accessToken;
});
afterAll(() => t.close());

const onboarding = async (token: string) =>
  (await t.api.get('/merchant-api/v1/onboarding').set(bearer(token)).expect(200)).body;

async function queueEntry(tenantId: number, typeCode: string) {
  const res = await t.api.get('/platform-api/v1/reviews?pageSize=100').set(bearer(reviewer)).expect(200);
  return res.body.items.find(
    (i: { tenant: { id: number }; typeCode: string }) => i.tenant.id === tenantId && i.typeCode === typeCode,
  );
}

describe('the whole path: sign-up → documents → rejection → re-upload → approval → active', () => {
  it('walks it through the API', async () => {
    const shop = await signUp(t, { subjectType: 'enterprise', categoryCode: 'apparel' });
    let state = await onboarding(shop.token);
    expect(state.tenant).toMatchObject({
      status: 'pending_review',
      subjectType: 'enterprise',
      categoryCode: 'apparel',
      submittedAt: null,
    });
    expect(state.phoneVerified).toBe(true);
    expect(state.checklist.map((i: { documentType: { code: string } }) => i.documentType.code)).toEqual([
      'business_license',
    ]);
    expect(state.canSubmit).toBe(false);
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(400);

    const first = await addDocument(t, shop.token, 'business_license');
    expect(first.status).toBe('draft');
    state = await onboarding(shop.token);
    expect(state.canSubmit).toBe(true);
    state = (await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200)).body;
    expect(state.tenant.submittedAt).not.toBeNull();
    expect(state.checklist[0].current.status).toBe('pending');

    // The reviewer finds it in the queue, looks at the file (audited) and rejects it with a reason.
    const entry = await queueEntry(shop.tenantId, 'business_license');
    expect(entry).toMatchObject({ documentId: first.id, status: 'pending' });
    const doc = (
      await t.api
        .get(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${first.id}`)
        .set(bearer(reviewer))
        .expect(200)
    ).body;
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({ contentType: 'application/pdf', pages: 2 });
    const signed = (
      await t.api
        .get(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${first.id}/files/${doc.files[0].id}/url`)
        .set(bearer(reviewer))
        .expect(200)
    ).body;
    const fetched = await fetch(signed.url);
    expect(fetched.status).toBe(200);
    expect(
      Buffer.from(await fetched.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${first.id}/reject`)
      .set(bearer(reviewer))
      .send({ reason: 'unreadable', note: '公章处模糊' })
      .expect(200);

    // The merchant is told exactly what to fix: in the console, by email and by SMS.
    state = await onboarding(shop.token);
    expect(state.checklist[0].current).toMatchObject({
      status: 'rejected',
      rejectReason: 'unreadable',
      rejectNote: '公章处模糊',
    });
    const notes = (await t.api.get('/merchant-api/v1/notifications').set(bearer(shop.token)).expect(200)).body;
    expect(notes.unread).toBeGreaterThan(0);
    expect(notes.items[0]).toMatchObject({ kind: 'qualification.rejected' });
    expect(notes.items[0].body).toContain('公章处模糊');
    expect(t.email.sent.some((m) => m.to === shop.email && m.subject.includes('未通过'))).toBe(true);
    expect(t.sms.notices.some((n) => n.phone === shop.phone && n.text.includes('公章处模糊'))).toBe(true);

    // Re-upload: after submission a new version goes straight to review; the rejection stays in history.
    const second = await addDocument(t, shop.token, 'business_license');
    expect(second.status).toBe('pending');
    state = await onboarding(shop.token);
    expect(state.checklist[0].current.id).toBe(second.id);
    expect(state.checklist[0].history).toEqual([
      expect.objectContaining({ id: first.id, status: 'rejected', rejectReason: 'unreadable' }),
    ]);

    const approved = (
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${second.id}/approve`)
        .set(bearer(reviewer))
        .send({})
        .expect(200)
    ).body;
    expect(approved.status).toBe('approved');
    state = await onboarding(shop.token);
    expect(state.tenant.status).toBe('active');
    const shopPublic = await t.api.get(`/shop-api/v1/shops/${shop.slug}`).expect(200);
    expect(shopPublic.body.status).toBe('active');

    // Every decision and every view is in the audit log, with who did it.
    const audit = (
      await t.api.get('/platform-api/v1/audit-log?pageSize=100').set(bearer(admin)).expect(200)
    ).body.items.filter((e: { tenantId: number }) => e.tenantId === shop.tenantId);
    const actions = audit.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'qualification.file.viewed',
        'qualification.rejected',
        'qualification.approved',
        'tenant.activated',
        'onboarding.submitted',
      ]),
    );
    expect(audit.find((e: { action: string }) => e.action === 'qualification.rejected')).toMatchObject({
      actorType: 'platform',
      data: { reason: 'unreadable' },
    });
  });
});

describe('requirements follow the rules', () => {
  it('a food shop is not activated without its food business license', async () => {
    const shop = await signUp(t, { subjectType: 'enterprise', categoryCode: 'food' });
    const state = await onboarding(shop.token);
    expect(state.checklist.map((i: { documentType: { code: string } }) => i.documentType.code).sort()).toEqual([
      'business_license',
      'food_business_license',
    ]);
    const license = await addDocument(t, shop.token, 'business_license');
    // Cannot submit with the food license missing.
    const refused = await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(400);
    expect(refused.body.error.details.missing).toEqual(['food_business_license']);
    const food = await addDocument(t, shop.token, 'food_business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${license.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    expect((await onboarding(shop.token)).tenant.status).toBe('pending_review');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${food.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    expect((await onboarding(shop.token)).tenant.status).toBe('active');
  });

  it('an individual needs both sides of an ID card; the number is masked, sealed at rest, and revealed only with an audit entry', async () => {
    const shop = await signUp(t, { subjectType: 'individual', categoryCode: 'services' });
    const state = await onboarding(shop.token);
    expect(state.checklist.map((i: { documentType: { code: string } }) => i.documentType.code)).toEqual(['id_card']);
    const one = await uploadFile(t, shop.token, await png());
    const tooFew = await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(shop.token))
      .send({
        typeCode: 'id_card',
        fileIds: [one],
        fields: { name: '张三', idNumber: ID_NUMBER },
        validFrom: '2020-01-01',
        longTerm: true,
      })
      .expect(400);
    expect(JSON.stringify(tooFew.body.error.details)).toContain('needs 2 files');
    const badNumber = await t.api
      .post('/merchant-api/v1/qualifications')
      .set(bearer(shop.token))
      .send({
        typeCode: 'id_card',
        fileIds: [one, await uploadFile(t, shop.token, await png())],
        fields: { name: '张三', idNumber: '110105194912310021' },
        validFrom: '2020-01-01',
        longTerm: true,
      })
      .expect(400);
    expect(badNumber.body.error.details.issues[0].path).toBe('body.fields.idNumber');

    const doc = await addDocument(t, shop.token, 'id_card', { longTerm: true, validTo: undefined });
    const listed = (await t.api.get('/merchant-api/v1/qualifications').set(bearer(shop.token)).expect(200)).body;
    expect(listed[0].fields.idNumber).toBe('110***********002X');
    expect(listed[0].files.map((f: { label: string }) => f.label)).toEqual(['人像面', '国徽面']);
    const row = await t.platform.knex('qualification_documents').where({ id: doc.id }).first();
    expect(JSON.stringify(row)).not.toContain(ID_NUMBER);
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    const revealed = (
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/reveal`)
        .set(bearer(reviewer))
        .expect(200)
    ).body;
    expect(revealed.fields.idNumber).toBe(ID_NUMBER);
    const audit = await t.platform
      .knex('audit_log')
      .where({ tenant_id: shop.tenantId, action: 'qualification.sensitive.revealed' });
    expect(audit).toHaveLength(1);
  });

  it('rules are data: staff add a requirement and the checklist follows at once', async () => {
    const shop = await signUp(t, { categoryCode: 'electronics' });
    expect((await onboarding(shop.token)).checklist).toHaveLength(1);
    const rule = (
      await t.api
        .post('/platform-api/v1/requirement-rules')
        .set(bearer(admin))
        .send({ documentTypeCode: 'publication_permit', categoryCode: 'electronics' })
        .expect(201)
    ).body;
    try {
      const codes = (await onboarding(shop.token)).checklist.map(
        (i: { documentType: { code: string } }) => i.documentType.code,
      );
      expect(codes).toContain('publication_permit');
      await t.api
        .post('/platform-api/v1/requirement-rules')
        .set(bearer(admin))
        .send({ documentTypeCode: 'publication_permit', categoryCode: 'electronics' })
        .expect(409);
      await t.api
        .post('/platform-api/v1/requirement-rules')
        .set(bearer(admin))
        .send({ documentTypeCode: 'nope_type', categoryCode: 'electronics' })
        .expect(400);
      await t.api
        .post('/platform-api/v1/requirement-rules')
        .set(bearer(reviewer))
        .send({ documentTypeCode: 'publication_permit', subjectType: 'individual' })
        .expect(403);
    } finally {
      await t.api.delete(`/platform-api/v1/requirement-rules/${rule.id}`).set(bearer(admin)).expect(200);
    }
    expect((await onboarding(shop.token)).checklist).toHaveLength(1);
  });

  it('staff add document types and categories', async () => {
    const code = `permit_${Date.now().toString(36)}`;
    const created = await t.api
      .post('/platform-api/v1/document-types')
      .set(bearer(admin))
      .send({
        code,
        nameZh: '测试许可证',
        nameEn: 'Test permit',
        fields: [{ key: 'number', labelZh: '编号', labelEn: 'Number', kind: 'text', required: true }],
        pageLabels: [],
      })
      .expect(201);
    expect(created.body).toMatchObject({ code, hasValidity: true, active: true });
    await t.api.patch(`/platform-api/v1/document-types/${code}`).set(bearer(admin)).send({ active: false }).expect(200);
    const cat = `cat_${Date.now().toString(36)}`;
    await t.api
      .post('/platform-api/v1/business-categories')
      .set(bearer(admin))
      .send({ code: cat, nameZh: '测试', nameEn: 'Test' })
      .expect(201);
    await t.api
      .post('/platform-api/v1/business-categories')
      .set(bearer(admin))
      .send({ code: cat, nameZh: '测试', nameEn: 'Test' })
      .expect(409);
    await t.api
      .patch(`/platform-api/v1/business-categories/${cat}`)
      .set(bearer(admin))
      .send({ active: false })
      .expect(200);
    const publicList = (await t.api.get('/merchant-api/v1/auth/business-categories').expect(200)).body;
    expect(publicList.map((c: { code: string }) => c.code)).not.toContain(cat);
  });
});

describe('decisions that do not apply', () => {
  it('approving an already-approved document is a 409, and the attempt is audited', async () => {
    const shop = await signUp(t);
    const doc = await addDocument(t, shop.token, 'business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    const again = await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(409);
    expect(again.body.error.details.status).toBe('approved');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/reject`)
      .set(bearer(reviewer))
      .send({ reason: 'other', note: 'late' })
      .expect(409);
    const refused = await t.platform
      .knex('audit_log')
      .where({ tenant_id: shop.tenantId })
      .whereIn('action', ['qualification.approve.refused', 'qualification.reject.refused']);
    expect(refused).toHaveLength(2);
  });

  it('a document of a suspended tenant can be approved; a tenant suspended by hand stays suspended', async () => {
    const shop = await signUp(t);
    const first = await addDocument(t, shop.token, 'business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${first.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    const suspended = (
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/suspend`)
        .set(bearer(admin))
        .send({ reason: '投诉处理中' })
        .expect(200)
    ).body;
    expect(suspended).toMatchObject({ status: 'suspended', suspendedKind: 'manual', suspensionReason: '投诉处理中' });
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/suspend`)
      .set(bearer(admin))
      .send({ reason: 'again' })
      .expect(409);
    const renewal = await addDocument(t, shop.token, 'business_license');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${renewal.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    expect((await onboarding(shop.token)).tenant.status).toBe('suspended');
    const versions = (await t.api.get('/merchant-api/v1/qualifications').set(bearer(shop.token)).expect(200)).body;
    expect(versions.map((v: { status: string }) => v.status)).toEqual(['approved', 'superseded']);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/reinstate`)
      .set(bearer(reviewer))
      .send({ reason: 'x' })
      .expect(403);
    const back = (
      await t.api
        .post(`/platform-api/v1/tenants/${shop.tenantId}/reinstate`)
        .set(bearer(admin))
        .send({ reason: '投诉已处理' })
        .expect(200)
    ).body;
    expect(back.status).toBe('active');
  });

  it('reject needs a reason from the list, and a note when it is other', async () => {
    const shop = await signUp(t);
    const doc = await addDocument(t, shop.token, 'business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    const url = `/platform-api/v1/tenants/${shop.tenantId}/qualifications/${doc.id}/reject`;
    await t.api.post(url).set(bearer(reviewer)).send({ reason: 'because' }).expect(400);
    await t.api.post(url).set(bearer(reviewer)).send({ reason: 'other' }).expect(400);
    await t.api.post(url).set(bearer(reviewer)).send({ reason: 'other', note: '营业执照已注销' }).expect(200);
  });

  it('the queue filters by status, category and age, oldest first', async () => {
    const food = await signUp(t, { categoryCode: 'fresh_produce' });
    await addDocument(t, food.token, 'business_license');
    await addDocument(t, food.token, 'food_business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(food.token)).expect(200);
    const res = (
      await t.api
        .get('/platform-api/v1/reviews?categoryCode=fresh_produce&pageSize=100')
        .set(bearer(reviewer))
        .expect(200)
    ).body;
    const mine = res.items.filter((i: { tenant: { id: number } }) => i.tenant.id === food.tenantId);
    expect(mine).toHaveLength(2);
    expect(
      res.items.every((i: { tenant: { categoryCode: string } }) => i.tenant.categoryCode === 'fresh_produce'),
    ).toBe(true);
    const times = res.items.map((i: { submittedAt: string }) => i.submittedAt);
    expect([...times].sort()).toEqual(times);
    const old = (
      await t.api.get('/platform-api/v1/reviews?minAgeHours=48&pageSize=100').set(bearer(reviewer)).expect(200)
    ).body;
    expect(old.items.some((i: { tenant: { id: number } }) => i.tenant.id === food.tenantId)).toBe(false);
    await t.api.get('/platform-api/v1/reviews?status=sideways').set(bearer(reviewer)).expect(400);
  });
});

describe('notifications say what happened by a text code and its params, beside the Chinese the email and SMS carry', () => {
  type Listed = {
    kind: string;
    title: string;
    body: string;
    textCode: string | null;
    textParams: Record<string, unknown>;
  };
  const notifications = async (token: string): Promise<Listed[]> =>
    (await t.api.get('/merchant-api/v1/notifications?pageSize=100').set(bearer(token)).expect(200)).body.items;
  const license = { code: 'business_license', nameZh: '营业执照', nameEn: 'Business license' };

  it('a rejection (with and without a note), an approval, the activation, a suspension and a reinstatement by hand', async () => {
    const shop = await signUp(t);
    const first = await addDocument(t, shop.token, 'business_license');
    await t.api.post('/merchant-api/v1/onboarding/submit').set(bearer(shop.token)).expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${first.id}/reject`)
      .set(bearer(reviewer))
      .send({ reason: 'mismatch' })
      .expect(200);
    const second = await addDocument(t, shop.token, 'business_license');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${second.id}/reject`)
      .set(bearer(reviewer))
      .send({ reason: 'unreadable', note: '公章处模糊' })
      .expect(200);
    const third = await addDocument(t, shop.token, 'business_license');
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/qualifications/${third.id}/approve`)
      .set(bearer(reviewer))
      .send({})
      .expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/suspend`)
      .set(bearer(admin))
      .send({ reason: '投诉处理中' })
      .expect(200);
    await t.api
      .post(`/platform-api/v1/tenants/${shop.tenantId}/reinstate`)
      .set(bearer(admin))
      .send({ reason: '投诉已处理' })
      .expect(200);

    const listed = (await notifications(shop.token)).reverse();
    expect(listed.map(({ kind, textCode, textParams }) => ({ kind, textCode, textParams }))).toEqual([
      {
        kind: 'qualification.rejected',
        textCode: 'DOCUMENT_REJECTED',
        textParams: { document: license, reason: 'mismatch' },
      },
      {
        kind: 'qualification.rejected',
        textCode: 'DOCUMENT_REJECTED_WITH_NOTE',
        textParams: { document: license, reason: 'unreadable', note: '公章处模糊' },
      },
      { kind: 'qualification.approved', textCode: 'DOCUMENT_APPROVED', textParams: { document: license } },
      { kind: 'tenant.activated', textCode: 'SHOP_ACTIVATED', textParams: {} },
      { kind: 'tenant.suspended', textCode: 'SHOP_SUSPENDED_BY_PLATFORM', textParams: { reason: '投诉处理中' } },
      { kind: 'tenant.reinstated', textCode: 'SHOP_REINSTATED_BY_PLATFORM', textParams: { reason: '投诉已处理' } },
    ]);
    // The stored title and body stay Chinese: they are what the email and the SMS said.
    expect(listed.map(({ title, body }) => ({ title, body })).slice(0, 3)).toEqual([
      { title: '营业执照未通过审核', body: '原因：证件信息与填写的不一致。请修改后重新上传。' },
      { title: '营业执照未通过审核', body: '原因：图片不清晰，无法辨认（公章处模糊）。请修改后重新上传。' },
      { title: '营业执照审核通过', body: '你提交的营业执照已审核通过。' },
    ]);
    // Sent once the change has committed: the last may still be on its way.
    const subjects = await until(
      async () => t.email.sent.filter((m) => m.to === shop.email).map((m) => m.subject),
      (s) => s.length >= 6,
      'the emails',
    );
    expect(subjects).toEqual(
      expect.arrayContaining([
        '营业执照未通过审核',
        '营业执照审核通过',
        '店铺已开通',
        '店铺已被暂停',
        '店铺已恢复营业',
      ]),
    );
    expect(
      t.sms.notices.some((n) => n.phone === shop.phone && n.text === '店铺已被暂停：平台暂停了你的店铺：投诉处理中'),
    ).toBe(true);
  });

  it('a notification from before the codes is listed with its Chinese only', async () => {
    const shop = await signUp(t);
    await t.platform
      .knex('notifications')
      .insert({ tenant_id: shop.tenantId, kind: 'tenant.activated', title: '店铺已开通', body: '全部资质审核通过。' });
    expect(await notifications(shop.token)).toEqual([
      expect.objectContaining({ title: '店铺已开通', body: '全部资质审核通过。', textCode: null, textParams: {} }),
    ]);
  });
});
