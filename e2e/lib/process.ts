/* eslint-disable
	@n8n/community-nodes/no-dangerous-functions,
	@n8n/community-nodes/no-restricted-globals,
	@n8n/community-nodes/no-restricted-imports
	-- Not shipped: this runs in Node.js; n8n Cloud's rules are for nodes/ and credentials/. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** A command the harness runs, with everything needed to judge and debug it afterwards. */
export interface CommandResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	timedOut: boolean;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** Peak resident memory of the command's main process, in KiB (0 when it could not be read). */
	peakRssKiB: number;
	/** Where the peak came from: GNU time's maximum, or VmHWM polled from /proc. */
	peakRssSource: 'time' | 'proc' | 'none';
	/** VmHWM as last polled while the process ran (0 when /proc could not be read). */
	peakRssPolledKiB: number;
}

export interface SpawnOptions {
	env: NodeJS.ProcessEnv;
	cwd: string;
	/** When set, GNU time writes its maximum RSS there (only when /usr/bin/time exists). */
	timeFile?: string;
}

export interface RunOptions extends SpawnOptions {
	/** SIGTERM after this long, SIGKILL a grace period later; the result says it timed out. */
	timeoutMs: number;
}

const GNU_TIME = '/usr/bin/time';
const POLL_INTERVAL_MS = 100;
const KILL_GRACE_MS = 5_000;

// Every child runs in its own process group so that killing it also ends n8n's task runners.
const liveChildren = new Set<ChildProcess>();

// Children run detached, so a Ctrl-C or a killed test run does not reach them: end them here.
process.once('exit', killEveryChildNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.once(signal, () => {
		killEveryChildNow();
		// Handled once: signalling again ends this process the way the signal would have.
		process.kill(process.pid, signal);
	});
}

function killEveryChildNow(): void {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	signalGroup(child.pid, signal);
}

function signalGroup(groupId: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-groupId, signal);
	} catch {
		// The group is already gone.
	}
}

/** Ends every child still running: for afterAll hooks and signal handlers. */
export async function killAllChildren(): Promise<void> {
	await Promise.all([...liveChildren].map(async (child) => await stopChild(child)));
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs = KILL_GRACE_MS): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;

	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);

	await exited;
	clearTimeout(timer);
}

export function gnuTimeAvailable(): boolean {
	return existsSync(GNU_TIME);
}

/** Starts a command in its own process group, tracked so that it never outlives the harness. */
export function startChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
	const [file, fullArgs] =
		options.timeFile && gnuTimeAvailable()
			? [GNU_TIME, ['-f', '%M', '-o', options.timeFile, command, ...args]]
			: [command, args];

	const child = spawn(file, fullArgs, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	liveChildren.add(child);
	child.once('exit', () => {
		liveChildren.delete(child);
		// Task runners n8n started, if it did not end them itself, would keep the pipes open.
		if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
	});

	return child;
}

/** Runs a command to its end (or its timeout) and measures its duration and peak memory. */
export async function runCommand(
	command: string,
	args: string[],
	options: RunOptions,
): Promise<CommandResult> {
	const started = Date.now();
	const child = startChild(command, args, options);
	const stdout: string[] = [];
	const stderr: string[] = [];
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));

	const wrappedByTime = options.timeFile !== undefined && gnuTimeAvailable();
	const memory = pollPeakRss(child, wrappedByTime);

	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void stopChild(child);
	}, options.timeoutMs);

	const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, closeSignal) => resolve([code, closeSignal]));
		},
	);
	clearTimeout(timer);
	const polledKiB = memory.stop();

	const timeKiB = wrappedByTime ? readGnuTimeKiB(options.timeFile as string) : 0;
	return {
		exitCode,
		signal,
		timedOut,
		stdout: stdout.join(''),
		stderr: stderr.join(''),
		durationMs: Date.now() - started,
		peakRssKiB: timeKiB || polledKiB,
		peakRssSource: timeKiB ? 'time' : polledKiB ? 'proc' : 'none',
		peakRssPolledKiB: polledKiB,
	};
}

function readGnuTimeKiB(file: string): number {
	try {
		const lines = readFileSync(file, 'utf8').trim().split('\n');
		const value = Number(lines[lines.length - 1]);
		return Number.isFinite(value) ? value : 0;
	} catch {
		return 0;
	} finally {
		rmSync(file, { force: true });
	}
}

/**
 * Reads VmHWM (the kernel's high-water mark of resident memory) of the main process while it
 * runs. Under GNU time the main process is time's only child.
 */
function pollPeakRss(child: ChildProcess, wrappedByTime: boolean): { stop: () => number } {
	let peakKiB = 0;
	const sample = () => {
		const pid = wrappedByTime ? firstChildPid(child.pid) : child.pid;
		if (pid === undefined) return;
		peakKiB = Math.max(peakKiB, readVmHwmKiB(pid));
	};
	const interval = setInterval(sample, POLL_INTERVAL_MS);

	return {
		stop: () => {
			clearInterval(interval);
			return peakKiB;
		},
	};
}

function firstChildPid(pid: number | undefined): number | undefined {
	if (pid === undefined) return undefined;
	try {
		const children = readFileSync(
			join('/proc', String(pid), 'task', String(pid), 'children'),
			'utf8',
		);
		const first = children.trim().split(/\s+/)[0];
		return first ? Number(first) : undefined;
	} catch {
		return undefined;
	}
}

function readVmHwmKiB(pid: number): number {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
		return match ? Number(match[1]) : 0;
	} catch {
		return 0;
	}
}
