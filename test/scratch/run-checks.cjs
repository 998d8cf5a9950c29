// One scenario list, run against whichever build of @hookproof/core the caller loaded,
// with the deliveries from deliveries.cjs (signed with node:crypto). It only reports
// what happened; the test decides pass or fail.
module.exports = async function runChecks(core, d) {
  const { verify, handleWebhook } = core;
  const now = () => d.nowMs;
  const out = {};
  const summarise = (r) => (r.ok ? { ok: true, type: String(r.event.type), id: r.event.id, idSource: r.event.idSource, secretIndex: r.secretIndex } : { ok: false, code: r.error.code, status: r.error.status });
  out.aidelly = summarise(await verify({ vendor: 'aidelly', body: new TextEncoder().encode(d.aidelly.body), headers: d.aidelly.headers, secret: ['whsec_other', d.secret] }));
  out.aidellyPayload = (await verify({ vendor: 'aidelly', body: d.aidelly.body, headers: d.aidelly.headers, secret: d.secret })).event.payload.data.platform_post_id;
  out.tampered = summarise(await verify({ vendor: 'aidelly', body: d.aidelly.body.replace('linkedin', 'linkedIn'), headers: d.aidelly.headers, secret: d.secret }));
  out.missing = summarise(await verify({ vendor: 'aidelly', body: d.aidelly.body, headers: {}, secret: d.secret }));
  out.garbage = summarise(await verify({ vendor: 'aidelly', body: d.aidelly.body, headers: { 'aidelly-signature': 'sha256=abc' }, secret: d.secret }));
  out.autoposting = summarise(await verify({ vendor: 'autoposting', body: d.autoposting.body, headers: d.autoposting.headers, secret: d.secret, now }));
  out.stale = summarise(await verify({ vendor: 'autoposting', body: d.autoposting.body, headers: d.autoposting.headers, secret: d.secret, now: () => d.nowMs + 301_000 }));
  try {
    await verify({ vendor: 'aidelly', body: '', headers: {}, secret: '' });
    out.setupError = 'did not throw';
  } catch (e) {
    out.setupError = `${e.constructor.name}: ${e.message}`;
  }
  const request = (headers) => new Request('http://127.0.0.1/hooks', { method: 'POST', body: d.aidelly.body, headers });
  const options = { vendor: 'aidelly', secret: d.secret };
  const first = await handleWebhook(request(d.aidelly.headers), options);
  const again = await handleWebhook(request(d.aidelly.headers), options);
  const bad = await handleWebhook(request({}), options);
  out.fetch = [
    { status: first.status, body: await first.json() },
    { status: again.status, body: await again.json() },
    { status: bad.status, body: await bad.json() },
  ];
  out.exports = Object.keys(core).sort();
  return out;
};
