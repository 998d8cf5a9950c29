// Public API of @hookproof/mock-sender. Every export is listed here explicitly.
export { createMockSender } from './sender.js';
export type {
  MockSender,
  MockSenderOptions,
  MockEvent,
  EventFor,
  EventOverrides,
  EventOptions,
  Target,
  NodeListener,
  FetchHandler,
  KoaLike,
  FastifyLike,
  Fault,
  SignatureFault,
  ClockMode,
  SendOptions,
  SendResult,
  AttemptResult,
  AttemptOutcome,
  SentRequest,
  ReceivedResponse,
  DeliverOptions,
  DeliveryAttempt,
  DeliveryLog,
  Subscription,
  VendorApiOptions,
  VendorApiMock,
  EmitResult,
} from './types.js';
export type { DeepPartial } from './merge.js';
export { WRONG_SECRET, STALE_WITHOUT_WINDOW_SEC, staleSeconds } from './wire.js';
