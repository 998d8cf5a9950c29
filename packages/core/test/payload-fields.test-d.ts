// "Typos are compile errors" (docs/getting-started.md), for every field a vendor documents,
// while fields it does not document stay reachable through undocumentedField(), which
// says so at the call site and yields `unknown`.
import { describe, expectTypeOf, test } from 'vitest';
import {
  createReceiver,
  undocumentedField,
  type AidellyPostData,
  type AudenciPostPublishedData,
  type AutopostingData,
  type EventOf,
  type TimbrixEnvelope,
  type UndocumentedFields,
} from '@hookproof/core';

declare const aidelly: EventOf<'aidelly', 'post.published'>;
declare const aidellyFailed: EventOf<'aidelly', 'post.failed'>;
declare const audenci: EventOf<'audenci', 'post.published'>;
declare const audenciCampaign: EventOf<'audenci', 'campaign.started'>;
declare const autoposting: EventOf<'autoposting', 'post.published'>;
declare const timbrix: EventOf<'timbrix', 'member.added'>;

describe('documented fields: typed, and a misspelling does not compile', () => {
  test('Aidelly: the fields of the guide\'s "Payload shape"', () => {
    expectTypeOf(aidelly.payload.data.post_id).toEqualTypeOf<string>();
    expectTypeOf(aidelly.payload.data.platform_post_id).toEqualTypeOf<string>();
    expectTypeOf(aidelly.payload.workspace_id).toEqualTypeOf<string>();
    // @ts-expect-error Aidelly writes post_id
    void aidelly.payload.data.postId;
    // @ts-expect-error Aidelly writes platform_post_id
    void aidelly.payload.data.platformPostId;
    // @ts-expect-error Aidelly writes workspace_id
    void aidelly.payload.workspaceId;
    // Other post events: the same documented names, optional.
    expectTypeOf(aidellyFailed.payload.data.post_id).toEqualTypeOf<string | undefined>();
    // @ts-expect-error not a field of Aidelly's post data
    void aidellyFailed.payload.data.reason;
  });

  test('Audenci: the fields of the help page\'s example', () => {
    expectTypeOf(audenci.payload.data.postId).toEqualTypeOf<string>();
    expectTypeOf(audenci.payload.data.platformResults['instagram']?.success).toEqualTypeOf<boolean | undefined>();
    // @ts-expect-error Audenci writes postId
    void audenci.payload.data.post_id;
    // @ts-expect-error Audenci writes scheduledFor
    void audenci.payload.data.scheduledAt;
    // @ts-expect-error a platform result has success and postId only
    void audenci.payload.data.platformResults['instagram']?.succes;
    // @ts-expect-error Audenci writes organizationId
    void audenci.payload.orgId;
  });

  test('Autoposting and Timbrix envelopes', () => {
    expectTypeOf(autoposting.payload.orgId).toEqualTypeOf<string>();
    // @ts-expect-error Autoposting writes orgId
    void autoposting.payload.organizationId;
    expectTypeOf(timbrix.payload.event).toEqualTypeOf<'member.added' | undefined>();
    // @ts-expect-error the assumed Timbrix envelope has event, type, id, timestamp and data only
    void timbrix.payload.organizationId;
  });

  test('in handlers too', () => {
    createReceiver({ vendor: 'aidelly', secret: 's' }).on('post.published', (event) => {
      expectTypeOf(event.payload.data.platform).toEqualTypeOf<string>();
      // @ts-expect-error misspelt
      void event.payload.data.platfrom;
    });
  });
});

describe('undocumented fields: reachable, explicitly, as unknown', () => {
  test('undocumentedField() reads any field or path and returns unknown', () => {
    expectTypeOf(undocumentedField(aidelly.payload.data, 'ad_id')).toEqualTypeOf<unknown>();
    expectTypeOf(undocumentedField(audenci.payload, 'userAgent')).toEqualTypeOf<unknown>();
    expectTypeOf(undocumentedField(timbrix.payload, 'data', 'organization', 'id')).toEqualTypeOf<unknown>();
    // @ts-expect-error a field name is required
    undocumentedField(aidelly.payload.data);
  });

  test('objects the vendor documents no field of are UndocumentedFields: every key unknown', () => {
    expectTypeOf<AutopostingData>().toEqualTypeOf<UndocumentedFields>();
    expectTypeOf(autoposting.payload.data['postId']).toEqualTypeOf<unknown>();
    expectTypeOf(audenciCampaign.payload.data['campaignId']).toEqualTypeOf<unknown>();
    expectTypeOf<NonNullable<TimbrixEnvelope['data']>>().toEqualTypeOf<UndocumentedFields>();
  });

  test('documented data types have no index signature (which would let any name compile)', () => {
    expectTypeOf<keyof AidellyPostData>().toEqualTypeOf<'post_id' | 'platform' | 'status' | 'published_at' | 'platform_post_id'>();
    expectTypeOf<keyof AudenciPostPublishedData>().toEqualTypeOf<'postId' | 'title' | 'platforms' | 'scheduledFor' | 'platformResults'>();
    expectTypeOf<keyof TimbrixEnvelope>().toEqualTypeOf<'event' | 'type' | 'id' | 'timestamp' | 'data'>();
  });
});
