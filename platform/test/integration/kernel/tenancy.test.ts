import { findTenancyViolations } from '../../../src/kernel/db/tenancy-guard';
import { TenantScope } from '../../../src/kernel/db/tenant-scope';
import { startTestPlatform, testNames, type TestPlatform } from '../../helpers/test-platform';
import { createShop } from '../../helpers/fixtures';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(() => t.close());

describe('the tenancy guard', () => {
  it('finds no violation in the migrated schema', async () => {
    expect(await findTenancyViolations(t.platform.knex, testNames().database)).toEqual([]);
  });

  it('fails a tenant-owned table without tenant_id, and an index that does not start with tenant_id', async () => {
    const { knex } = t.platform;
    await knex.schema.dropTableIfExists('guard_probe_no_tenant');
    await knex.schema.dropTableIfExists('guard_probe_bad_index');
    await knex.schema.createTable('guard_probe_no_tenant', (tb) => {
      tb.increments('id');
      tb.string('name');
    });
    await knex.schema.createTable('guard_probe_bad_index', (tb) => {
      tb.increments('id');
      tb.bigInteger('tenant_id').unsigned().notNullable();
      tb.string('sku', 32);
      tb.index(['sku', 'tenant_id'], 'probe_sku_first');
    });
    try {
      const violations = await findTenancyViolations(knex, testNames().database);
      expect(violations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ table: 'guard_probe_no_tenant', problem: expect.stringContaining('no tenant_id') }),
          expect.objectContaining({
            table: 'guard_probe_bad_index',
            problem: expect.stringContaining('probe_sku_first'),
          }),
        ]),
      );
    } finally {
      await knex.schema.dropTable('guard_probe_no_tenant');
      await knex.schema.dropTable('guard_probe_bad_index');
    }
  });
});

describe('the tenant-scoped data layer', () => {
  it('scopes reads, updates and deletes, and stamps inserts with its tenant', async () => {
    const a = await createShop(t);
    const b = await createShop(t);
    const scopeA = new TenantScope(t.platform.knex, a.id);
    const scopeB = new TenantScope(t.platform.knex, b.id);
    const idA = await scopeA.insert('shoppers', { phone: '13100000001' });
    await scopeB.table('shoppers').insert({ phone: '13100000001' });

    const fromA = await scopeA.table('shoppers').select('id', 'tenant_id');
    expect(fromA).toEqual([{ id: idA, tenant_id: a.id }]);
    expect(await scopeB.table('shoppers').where({ id: idA }).first()).toBeUndefined();
    expect(await scopeB.table('shoppers').where({ id: idA }).update({ nickname: 'hijack' })).toBe(0);
    expect(await scopeB.table('shoppers').where({ id: idA }).delete()).toBe(0);
    const stillThere = await scopeA.table('shoppers').where({ id: idA }).first();
    expect(stillThere.nickname).toBeNull();
  });

  it('refuses rows of another tenant and platform tables', async () => {
    const a = await createShop(t);
    const b = await createShop(t);
    const scopeA = new TenantScope(t.platform.knex, a.id);
    await expect(scopeA.insert('shoppers', { tenant_id: b.id, phone: '13100000002' })).rejects.toThrow(
      /another tenant/,
    );
    expect(() => scopeA.table('tenants')).toThrow(/platform table/);
  });
});
