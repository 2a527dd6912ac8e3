import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Where Debian installs tinyproxy (the brief names /usr/sbin; the package ships /usr/bin). */
export function findTinyproxy(): string | undefined {
  return ['/usr/sbin/tinyproxy', '/usr/bin/tinyproxy'].find((p) => fs.existsSync(p));
}

export interface TinyproxyHandle {
  readonly url: string;
  /** The proxy's log so far (tinyproxy logs every CONNECT and request line at Info). */
  readLog(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('tinyproxy did not start listening');
}

/**
 * Starts a real tinyproxy on a free loopback port with a temporary config. `connectPorts` lists the
 * target ports CONNECT may reach (tinyproxy's `ConnectPort`; without it every port is allowed).
 */
export async function startTinyproxy(binary: string, connectPorts: readonly number[]): Promise<TinyproxyHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyproxy-'));
  const port = await freePort();
  const logFile = path.join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${logFile}"`,
    'LogLevel Info',
    `PidFile "${path.join(dir, 'tinyproxy.pid')}"`,
    'MaxClients 20',
    'Allow 127.0.0.1',
    'ViaProxyName "tinyproxy-test"',
    ...connectPorts.map((p) => `ConnectPort ${p}`),
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'tinyproxy.conf'), `${config}\n`);
  const child: ChildProcess = spawn(binary, ['-d', '-c', path.join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  await waitForPort(port, Date.now() + 5000);
  return {
    url: `http://127.0.0.1:${port}`,
    readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
