// Drives Drover's gateway with the official OpenAI Node client for tests/gateway.
// Usage: node client.mjs '<json scenario>'; prints one JSON line with what the client saw.
// Every HTTP response the client receives (including ones it retries) is logged with its
// time, status and rate-limit headers through a fetch wrapper.
import OpenAI from 'openai';

const args = JSON.parse(process.argv[2]);
const t0 = performance.now();
const now = () => performance.now() - t0;
const fetchLog = [];
const interesting = ['retry-after', 'retry-after-ms', 'x-should-retry', 'content-type',
  'transfer-encoding', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens', 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests'];

async function loggingFetch(url, init) {
  const sent = now();
  const response = await fetch(url, init);
  const headers = {};
  for (const name of interesting) {
    const v = response.headers.get(name);
    if (v !== null) headers[name] = v;
  }
  const allHeaders = [...response.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  fetchLog.push({ sent, received: now(), status: response.status, headers, allHeaders });
  return response;
}

const client = new OpenAI({
  apiKey: args.apiKey,
  baseURL: args.baseURL,
  maxRetries: args.maxRetries ?? 0,
  timeout: args.timeoutMs ?? 30000,
  fetch: loggingFetch,
});

const messages = [{ role: 'user', content: args.prompt ?? 'Say hello to the fleet.' }];
const model = args.model ?? 'gpt-4o-mini';

function errorOf(e) {
  return { status: e.status ?? null, code: e.code ?? null, type: e.type ?? null,
           message: String(e.message ?? e) };
}

async function plain() {
  const body = { model, messages };
  if (args.maxTokens) body.max_tokens = args.maxTokens;
  const started = now();
  const { data } = await client.chat.completions.create(body).withResponse();
  return { usage: data.usage, content: data.choices?.[0]?.message?.content ?? null,
           started, finished: now(), raw: JSON.stringify(data) };
}

async function stream() {
  const body = { model, messages, stream: true };
  if (args.maxTokens) body.max_tokens = args.maxTokens;
  if (args.includeUsage) body.stream_options = { include_usage: true };
  const s = await client.chat.completions.create(body);
  const chunks = [];
  for await (const chunk of s) {
    chunks.push({ t: now(), content: chunk.choices?.[0]?.delta?.content ?? null,
                  choices: chunk.choices?.length ?? 0, usage: chunk.usage ?? null });
    if (args.abortAfter && chunks.length >= args.abortAfter) {
      s.controller.abort();
      break;
    }
  }
  return { chunks };
}

async function run() {
  switch (args.scenario) {
  case 'plain':
    return plain();
  case 'stream':
    return stream();
  case 'sequence': {
    const calls = [];
    for (let i = 0; i < (args.count ?? 2); ++i) {
      try {
        calls.push({ ok: true, ...(await plain()) });
      } catch (e) {
        calls.push({ ok: false, error: errorOf(e), finished: now() });
      }
    }
    return { calls };
  }
  case 'concurrent': {
    const results = await Promise.all(Array.from({ length: args.count }, () =>
      plain().then(r => ({ ok: true, usage: r.usage }), e => ({ ok: false, error: errorOf(e) }))));
    return { results };
  }
  case 'models': {
    const list = await client.models.list();
    return { ids: list.data.map(m => m.id) };
  }
  case 'embeddings': {
    const r = await client.embeddings.create({ model: 'text-embedding-3-small', input: args.prompt ?? 'hello' });
    return { usage: r.usage, dims: r.data[0].embedding.length };
  }
  default:
    throw new Error(`unknown scenario ${args.scenario}`);
  }
}

let result;
try {
  result = { ok: true, ...(await run()) };
} catch (e) {
  result = { ok: false, error: errorOf(e) };
}
result.fetchLog = fetchLog;
result.elapsed = now();
process.stdout.write(JSON.stringify(result) + '\n');
