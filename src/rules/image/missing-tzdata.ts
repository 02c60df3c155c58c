/** The entrypoint loads time zones from the filesystem and the image has no zoneinfo. */
import { envOf } from '../../image/resolve.js';
import { finding, type ImageRule } from './context.js';

/** Where Go's time package looks (zoneinfo_unix.go), plus $GOROOT's zip. */
const ZONE_DIRS = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo'];

export const missingTzdata: ImageRule = {
  id: 'missing-tzdata',
  check(ctx) {
    const ev = ctx.entrypoint.binary?.evidence;
    if (!ev || ev.tz.length === 0 || ev.embeddedTzdata) return [];
    const zoneinfo = envOf(ctx.config).get('ZONEINFO');
    if (zoneinfo && ctx.exists(zoneinfo)) return [];
    if (ZONE_DIRS.some((d) => ctx.nonEmptyDir(d)) || ctx.exists('/usr/local/go/lib/time/zoneinfo.zip'))
      return [];
    return [
      finding(
        'missing-tzdata',
        `${ctx.entrypoint.resolved} loads time zones (${ev.tz[0]}) but the image has no /usr/share/zoneinfo: time.LoadLocation will fail with "unknown time zone"; add tzdata or build with -tags timetzdata`,
        ZONE_DIRS[0],
      ),
    ];
  },
};
