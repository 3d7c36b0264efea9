/** The mirror's NATS API: lookup, current and status, in the `mirror` queue group. */
import { contracts, queues, type ServiceStatus } from "@kokoro-edge/proto";
import type { Bus, Subscription } from "@kokoro-edge/runtime";
import type { MirrorState } from "./state";

export function serveMirrorApi(bus: Bus, state: MirrorState, status: () => ServiceStatus): Subscription[] {
  const opts = { queue: queues.mirror };
  return [
    bus.serveJson(
      contracts.mirror.lookup,
      async (req) => {
        const repo = req.repo ?? state.specs[0]!.spec.repo;
        const version = await state.findVersion(repo, req.revision);
        return {
          v: 1 as const,
          files: state.match(version, req.path).map((f) => state.toWireFile(version, f)),
        };
      },
      opts,
    ),
    bus.serveJson(
      contracts.mirror.current,
      (req) => {
        const repo = req.repo ?? state.specs[0]!.spec.repo;
        state.checkRepo(repo);
        const s = state.specs.find((x) => x.spec.repo === repo)!;
        return {
          v: 1 as const,
          current: s.current ? state.toWireVersion(s.current) : null,
          detail: state.describe(s),
        };
      },
      opts,
    ),
    bus.serveJson(contracts.mirror.status, () => status(), opts),
  ];
}
