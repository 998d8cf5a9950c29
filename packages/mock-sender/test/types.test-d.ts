import { describe, expectTypeOf, it } from 'vitest';
import type { Server } from 'node:http';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import type { AidellyEnvelope, AidellyPostPublishedData, AudenciPostPublishedData, TimbrixEnvelope } from '@hookproof/core';
import { createMockSender, type DeepPartial, type EventOptions, type MockEvent, type Target } from '@hookproof/mock-sender';

describe('event() is typed by core', () => {
  it('payloads are core types, narrowed by the event name', () => {
    const aidelly = createMockSender({ vendor: 'aidelly', secret: 's' });
    const e = aidelly.event('post.published');
    expectTypeOf(e.type).toEqualTypeOf<'post.published'>();
    expectTypeOf(e.payload).toEqualTypeOf<AidellyEnvelope<'post.published', AidellyPostPublishedData>>();
    expectTypeOf(e.payload.data.platform_post_id).toEqualTypeOf<string>();
    expectTypeOf(createMockSender({ vendor: 'audenci', secret: 's' }).event('post.published').payload.data).toEqualTypeOf<AudenciPostPublishedData>();
    expectTypeOf(createMockSender({ vendor: 'timbrix', secret: 's' }).event('member.added').payload).toEqualTypeOf<TimbrixEnvelope<'member.added'>>();
    expectTypeOf(e).toMatchTypeOf<MockEvent>();
  });

  it('event names are checked', () => {
    const s = createMockSender({ vendor: 'aidelly', secret: 's' });
    // @ts-expect-error misspelt event
    s.event('post.publishd');
    // @ts-expect-error an Autoposting event is not an Aidelly one
    s.event('clip.render.completed');
    createMockSender({ vendor: 'autoposting' }).event('clip.render.completed');
  });

  it('overrides are a deep partial of the payload: a wrong field or type is a compile error', () => {
    const s = createMockSender({ vendor: 'aidelly', secret: 's' });
    s.event('post.published', { brand_id: 'b', data: { platform: 'linkedin' } });
    // @ts-expect-error unknown envelope field
    s.event('post.published', { brandId: 'b' });
    // @ts-expect-error wrong type for a documented field
    s.event('post.published', { data: { platform_post_id: 42 } });
    // @ts-expect-error the event name cannot be overridden to another one
    s.event('post.published', { event: 'post.failed' });
    const audenci = createMockSender({ vendor: 'audenci', secret: 's' });
    audenci.event('post.published', { data: { platforms: ['instagram'] } });
    // @ts-expect-error platforms is a list of strings
    audenci.event('post.published', { data: { platforms: 'instagram' } });
    expectTypeOf<DeepPartial<{ a: { b: number }; c: string[] }>>().toEqualTypeOf<{ a?: { b?: number }; c?: string[] }>();
  });

  it('a misspelt documented field in overrides does not compile, at any depth (testing guide)', () => {
    const aidelly = createMockSender({ vendor: 'aidelly', secret: 's' });
    // @ts-expect-error Aidelly writes post_id
    aidelly.event('post.published', { data: { postid: 'x' } });
    // @ts-expect-error Aidelly writes post_id, on every post event
    aidelly.event('post.failed', { data: { postId: 'x' } });
    // @ts-expect-error Aidelly writes workspace_id
    aidelly.event('post.created', { workspaceId: 'w' });
    const audenci = createMockSender({ vendor: 'audenci', secret: 's' });
    // @ts-expect-error Audenci writes postId
    audenci.event('post.published', { data: { post_id: 'x' } });
    // @ts-expect-error a platform result has success and postId only
    audenci.event('post.published', { data: { platformResults: { instagram: { success: true, posted: 'x' } } } });
    const timbrix = createMockSender({ vendor: 'timbrix', secret: 's' });
    // @ts-expect-error the assumed Timbrix envelope has event, type, id, timestamp and data only
    timbrix.event('member.added', { organizationId: 'o' });
    timbrix.event('member.added', { data: { memberId: 'm' } }); // data documents no field: any key, as unknown
  });

  it('undocumented fields of a documented event go in undocumentedFields, untyped on purpose', () => {
    const aidelly = createMockSender({ vendor: 'aidelly', secret: 's' });
    const e = aidelly.event('post.published', { data: { post_id: 'p' } }, { undocumentedFields: { data: { postid: 'anything', n: 1 } } });
    expectTypeOf(e.payload).toEqualTypeOf<AidellyEnvelope<'post.published', AidellyPostPublishedData>>();
    expectTypeOf<Parameters<typeof aidelly.event>[2]>().toEqualTypeOf<EventOptions | undefined>();
    // @ts-expect-error options take undocumentedFields only
    aidelly.event('post.published', {}, { extra: {} });
  });

  it('undocumented names go through the explicit escape hatch, typed as open records', () => {
    const e = createMockSender({ vendor: 'autoposting' }).undocumented('post.partial', { data: { anything: 1 } });
    expectTypeOf(e.type).toEqualTypeOf<string>();
    expectTypeOf(e.payload).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});

describe('targets', () => {
  it('accepts every documented kind of target', () => {
    expectTypeOf(express()).toMatchTypeOf<Target>();
    expectTypeOf(new Koa()).toMatchTypeOf<Target>();
    expectTypeOf(Fastify()).toMatchTypeOf<Target>();
    expectTypeOf<Server>().toMatchTypeOf<Target>();
    expectTypeOf((_r: Request) => new Response()).toMatchTypeOf<Target>();
    expectTypeOf({ fetch: async (_r: Request) => new Response() }).toMatchTypeOf<Target>();
    expectTypeOf('http://127.0.0.1:3000/hooks').toMatchTypeOf<Target>();
    expectTypeOf(42).not.toMatchTypeOf<Target>();
  });
});

describe('results', () => {
  it('deliver and send results', async () => {
    const s = createMockSender({ vendor: 'timbrix', secret: 's', target: 'http://127.0.0.1:1/' });
    const log = await s.deliver(s.event('member.added'), { retries: 'vendor', clock: 'virtual' });
    expectTypeOf(log.state).toEqualTypeOf<'delivered' | 'failed'>();
    expectTypeOf(log.attempts[0]!.status).toEqualTypeOf<number | undefined>();
    expectTypeOf(log.attempts[0]!.outcome).toEqualTypeOf<'success' | 'http-error' | 'timeout' | 'network-error'>();
    const r = await s.send(s.event('member.added'), { fault: { concurrent: 2 } });
    expectTypeOf(r.copies[0]!.ok).toEqualTypeOf<boolean>();
    // @ts-expect-error retries in seconds as a list, or 'vendor' / 'none'
    await s.deliver(s.event('member.added'), { retries: 'forever' });
  });
});
