/**
 * The space a virtualized table keeps for the rows it does not draw (above or below the ones in
 * view), so the scrollbar and the rows in view sit where the whole table would put them.
 */
export function VirtualRowSpacer({ height, columnCount }: { height: number; columnCount: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden style={{ height }}>
      <td colSpan={columnCount} style={{ padding: 0, border: 0 }} />
    </tr>
  );
}
