import { InputNumber } from 'antd';
import type { CSSProperties } from 'react';

/**
 * A money field people type in yuan (two decimals) while the form keeps integer fen, as the ledger
 * does: a form control for antd's Form.Item (value and onChange in fen).
 */
export function YuanInput({
  value,
  onChange,
  min = 0,
  suffix = '元',
  ...rest
}: {
  value?: number | null;
  onChange?: (fen: number | null) => void;
  /** The least amount, in fen. */
  min?: number;
  suffix?: string;
  size?: 'small' | 'middle' | 'large';
  style?: CSSProperties;
  placeholder?: string;
  'aria-label'?: string;
}) {
  return (
    <InputNumber<number>
      {...rest}
      min={min / 100}
      step={0.01}
      precision={2}
      suffix={suffix}
      value={value === undefined || value === null ? null : value / 100}
      onChange={(yuan) => onChange?.(yuan === null ? null : Math.round(yuan * 100))}
    />
  );
}
