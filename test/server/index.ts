export { startContractServer } from './contract-server';
export { STATUS_BY_CODE, type ErrorCode } from './errors';
export type {
	ContractServer,
	ContractServerOptions,
	Inventory,
	Knobs,
	KnobsUpdate,
	RequestRecord,
	ResponseVariant,
	RetryAfter,
	StoredFile,
} from './types';
