import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface SlackCall {
  method: string;
  token: string | undefined;
  body: Record<string, unknown>;
  /** Whether the answer was a success (HTTP 200 and `ok: true`). */
  accepted: boolean;
  /** When the call arrived (ms since the epoch), for latency measurements. */
  at: number;
}

export type SlackReply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

/**
 * A local Slack Web API: answers `POST /api/<method>` the way slack.com does (form or JSON body,
 * Bearer token, `{ ok, ... }` replies), recording every call. Tests may queue replies to script
 * failures; with none queued it answers success.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly replies: SlackReply[] = [];
  private server: Server | undefined;
  url = '';

  /** The next calls get these replies, in order. */
  reply(...replies: SlackReply[]): void {
    this.replies.push(...replies);
  }

  /** Messages Slack accepted, i.e. that people would see. */
  messages(): SlackCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && c.accepted);
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const at = Date.now();
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const body = await readBody(req);
      const token =
        (req.headers.authorization ?? '').replace(/^Bearer /, '') || (body.token as string | undefined);
      const scripted = this.replies.shift();
      const reply = scripted ?? {
        status: 200,
        body: { ok: true, channel: body.channel ?? 'C0000000000', ts: `${Date.now() / 1000}`, message: body },
      };
      this.calls.push({ method, token, body, accepted: reply.status === 200 && reply.body.ok === true, at });
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(text || '{}');
  const form = Object.fromEntries(new URLSearchParams(text));
  // The Slack client form-encodes nested values (blocks, attachments) as JSON strings.
  for (const [k, v] of Object.entries(form)) {
    if (v.startsWith('[') || v.startsWith('{')) {
      try {
        form[k] = JSON.parse(v);
      } catch {}
    }
  }
  return form;
}
