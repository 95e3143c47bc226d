import { Credentials } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * Stands in for n8n's CredentialsHelper without a database: credentials are given per type, and
 * `authenticate` applies a credential type's `authenticate` property the way n8n does.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly typesByName: Map<string, ICredentialType>;

	constructor(
		credentialTypes: ICredentialType[],
		private readonly credentialsByType: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
		this.typesByName = new Map(credentialTypes.map((type) => [type.name, type]));
	}

	getParentTypes(typeName: string): string[] {
		const parents = this.getType(typeName).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		if (authenticate === undefined) return requestOptions as IHttpRequestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}

		requestOptions.headers ??= {};
		if (authenticate.type !== 'generic') return requestOptions as IHttpRequestOptions;

		// Each entry names a part of the request (headers, qs, body, auth); keys and values may
		// be expressions over `$credentials`, resolved by n8n-workflow's expression engine.
		const target = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [part, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				const resolvedKey = this.resolve(key, credentials, workflow, node);
				target[part] ??= {};
				target[part][resolvedKey] = this.resolve(value as string, credentials, workflow, node);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		// n8n also stores the refreshed token; here it lives only as long as the run.
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		return Object.assign(credentials, output);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const credentials = new Credentials(nodeCredentials, type);
		credentials.setData(this.credentialsByType[type] ?? {});
		return credentials;
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		_mode: unknown,
		_executeData?: unknown,
		raw?: boolean,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.credentialsByType[type];
		if (stored === undefined) {
			throw new UnexpectedError(`The harness has no credentials of type "${type}"`);
		}
		if (raw === true) return { ...stored };

		// Like n8n, fill in the defaults of properties the stored credentials leave out.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored as IDataObject as never,
			true,
			false,
			null,
			null,
		);
		return (withDefaults ?? { ...stored }) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getType(type);
		const inherited = (credentialType.extends ?? []).flatMap((parent) =>
			this.getCredentialsProperties(parent),
		);
		const own = new Set(credentialType.properties.map((property) => property.name));
		return [
			...inherited.filter((property) => !own.has(property.name)),
			...credentialType.properties,
		];
	}

	private getType(typeName: string): ICredentialType {
		const credentialType = this.typesByName.get(typeName);
		if (credentialType === undefined) {
			throw new UnexpectedError(`The harness does not know the credential type "${typeName}"`);
		}
		return credentialType;
	}

	private resolve(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;

		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}
}
