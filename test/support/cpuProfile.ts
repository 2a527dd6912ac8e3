import * as fs from 'fs';
import * as inspector from 'inspector';

/**
 * A CPU profile of this process's main thread, for finding where its time goes: start it, run the
 * work, stop it into a file, and open the file in Chromium's DevTools or VS Code.
 */
export async function startCpuProfile(): Promise<{ stopInto(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return {
    async stopInto(file) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
