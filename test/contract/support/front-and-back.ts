import { spawnSampleApp, type SampleAppProcess } from './sample-app-process.js';
import { backEnv, frontEnv } from './sample-app-env.js';
import { startStandIns, type StandIns } from './stand-ins.js';

/** The two-instance deployment of the e2e test (a front calling a back), wired to capture stand-ins. */
export interface FrontAndBack {
  standIns: StandIns;
  front: SampleAppProcess;
  back: SampleAppProcess;
  /** Stops both instances (SIGTERM) and the stand-ins. */
  stop(): Promise<void>;
}

export async function startFrontAndBack(): Promise<FrontAndBack> {
  const standIns = await startStandIns();
  const started: SampleAppProcess[] = [];
  try {
    const back = await spawnSampleApp(backEnv(standIns));
    started.push(back);
    const front = await spawnSampleApp(frontEnv(standIns, back.url));
    started.push(front);
    return {
      standIns,
      front,
      back,
      async stop() {
        await Promise.all([front.stop(), back.stop()]);
        await standIns.close();
      },
    };
  } catch (error) {
    await Promise.all(started.map((app) => app.stop()));
    await standIns.close();
    throw error;
  }
}
