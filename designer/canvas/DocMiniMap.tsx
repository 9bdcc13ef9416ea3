// The minimap, drawn from the document (every node and note, drawn on the canvas or not) as a few
// coloured paths, with the visible area on top. React Flow's own minimap draws one component per
// node it knows and re-renders them on every pan frame. Press or drag to move the view there; the
// wheel zooms.
import { memo, useCallback, useMemo, useRef, type MouseEvent, type WheelEvent } from 'react';
import { Panel, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import { shallow } from 'zustand/shallow';
import { byType, rectsPath, union, type Bounds, type Geometry } from './overview';
import { colourOf } from './OverviewLayer';

const WIDTH = 160;
const HEIGHT = 110;

const Boxes = memo(function Boxes({ geometry }: { geometry: Geometry }) {
  const groups = useMemo(() => [...byType(geometry.boxes)], [geometry]);
  return (
    <>
      {groups.map(([type, boxes]) => (
        <path key={type} d={rectsPath(boxes)} fill={colourOf(type)} data-type={type} />
      ))}
    </>
  );
});

/** The visible area in flow coordinates: x, y, width, height. */
const viewOf = (s: ReactFlowState): [number, number, number, number] => {
  const [tx, ty, zoom] = s.transform;
  return [-tx / zoom, -ty / zoom, s.width / zoom, s.height / zoom];
};

export function DocMiniMap({ geometry }: { geometry: Geometry }) {
  const bounds = geometry.bounds;
  const rf = useReactFlow();
  // Compared item by item, so the map re-renders only when the view really moved.
  const [vx, vy, vw, vh] = useStore(viewOf, shallow);
  const view: Bounds = { x: vx, y: vy, width: vw, height: vh };
  const shown = union(bounds, view);
  // Scale the shown area into the map, centred, keeping its proportions.
  const scale = Math.max(shown.width / WIDTH, shown.height / HEIGHT) || 1;
  const w = WIDTH * scale,
    h = HEIGHT * scale;
  const x = shown.x - (w - shown.width) / 2,
    y = shown.y - (h - shown.height) / 2;
  const frame = useRef({ x, y, scale });
  frame.current = { x, y, scale };
  const pressed = useRef(false);

  const centreAt = useCallback(
    (e: MouseEvent<SVGSVGElement>) => {
      const r = e.currentTarget.getBoundingClientRect();
      const f = frame.current;
      const px = f.x + (e.clientX - r.left) * f.scale;
      const py = f.y + (e.clientY - r.top) * f.scale;
      void rf.setCenter(px, py, { zoom: rf.getZoom() });
    },
    [rf],
  );

  const onDown = (e: MouseEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    pressed.current = true;
    centreAt(e);
  };
  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    if (pressed.current && e.buttons & 1) centreAt(e);
    else pressed.current = false;
  };
  const onUp = () => {
    pressed.current = false;
  };
  const onWheel = (e: WheelEvent<SVGSVGElement>) => {
    const zoom = rf.getZoom() * (e.deltaY < 0 ? 1.2 : 1 / 1.2);
    void rf.zoomTo(zoom);
  };

  return (
    <Panel position="bottom-right" className="doc-minimap nowheel" data-testid="minimap">
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${x} ${y} ${w} ${h}`}
        role="img"
        aria-label="Minimap: press or drag to move the view, wheel to zoom"
        onMouseDown={onDown}
        onMouseMove={onMove}
        onMouseUp={onUp}
        onMouseLeave={onUp}
        onWheel={onWheel}
      >
        <Boxes geometry={geometry} />
        <path
          className="doc-minimap__mask"
          fillRule="evenodd"
          d={`M${x} ${y}h${w}v${h}h${-w}z M${vx} ${vy}h${vw}v${vh}h${-vw}z`}
        />
        <rect className="doc-minimap__view" x={vx} y={vy} width={vw} height={vh} data-testid="minimap-view" />
      </svg>
    </Panel>
  );
}
