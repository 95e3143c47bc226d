const CONTENT_TYPE_BY_EXTENSION: Record<string, string> = {
	aac: 'audio/aac',
	avif: 'image/avif',
	bmp: 'image/bmp',
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	flac: 'audio/flac',
	gif: 'image/gif',
	gz: 'application/gzip',
	heic: 'image/heic',
	htm: 'text/html',
	html: 'text/html',
	ico: 'image/vnd.microsoft.icon',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	json: 'application/json',
	m4a: 'audio/mp4',
	md: 'text/markdown',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	mp4: 'video/mp4',
	mpeg: 'video/mpeg',
	oga: 'audio/ogg',
	ogg: 'audio/ogg',
	ogv: 'video/ogg',
	odt: 'application/vnd.oasis.opendocument.text',
	opus: 'audio/opus',
	pdf: 'application/pdf',
	png: 'image/png',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	rtf: 'application/rtf',
	svg: 'image/svg+xml',
	tar: 'application/x-tar',
	tif: 'image/tiff',
	tiff: 'image/tiff',
	tsv: 'text/tab-separated-values',
	txt: 'text/plain',
	wav: 'audio/wav',
	weba: 'audio/webm',
	webm: 'video/webm',
	webp: 'image/webp',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xml: 'application/xml',
	yaml: 'application/yaml',
	yml: 'application/yaml',
	zip: 'application/zip',
};

export const GENERIC_CONTENT_TYPE = 'application/octet-stream';

/** type/subtype with optional parameters, and nothing that could break a header line. */
const CONTENT_TYPE_PATTERN = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n]*"|[\w.+-]+))*$/;

export function isValidContentType(value: string): boolean {
	return CONTENT_TYPE_PATTERN.test(value);
}

export function contentTypeFromFileName(fileName: string): string | undefined {
	const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
	return extension ? CONTENT_TYPE_BY_EXTENSION[extension] : undefined;
}

export function extensionForContentType(contentType: string): string | undefined {
	const bare = contentType.split(';')[0].trim().toLowerCase();
	return Object.keys(CONTENT_TYPE_BY_EXTENSION).find(
		(extension) => CONTENT_TYPE_BY_EXTENSION[extension] === bare,
	);
}

/** The first content type that is given and meaningful, else one guessed from the file name. */
export function resolveContentType(fileName: string, ...candidates: Array<string | undefined>) {
	const given = candidates
		.map((candidate) => candidate?.trim())
		.find((candidate) => candidate && candidate !== GENERIC_CONTENT_TYPE);
	return given ?? contentTypeFromFileName(fileName) ?? GENERIC_CONTENT_TYPE;
}

/** The first file name given, else `file` with an extension that fits the content type. */
export function resolveFileName(contentType: string | undefined, ...candidates: unknown[]) {
	const given = candidates.find(
		(candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '',
	);
	if (given) return given.trim();

	const extension = contentType ? extensionForContentType(contentType) : undefined;
	return extension ? `file.${extension}` : 'file';
}
