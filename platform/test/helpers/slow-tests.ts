// Integration and browser tests talk to real services and a real browser: give each test room.
jest.setTimeout(Number(process.env.SF_TEST_TIMEOUT_MS ?? 60_000));
