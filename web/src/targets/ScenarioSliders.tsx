import { Button, Group, NumberInput, Slider, Stack, Text } from '@mantine/core';
import type { ReverseFunnelInput, ScenarioOverrides } from '../../../src/modules/targets/reverse-funnel.ts';
import { formatRate } from '../format.ts';

interface ScenarioSlidersProps {
  input: ReverseFunnelInput;
  steps: { key: string; from: string; to: string }[];
  currency: string;
  overrides: ScenarioOverrides;
  onChange: (overrides: ScenarioOverrides) => void;
}

/** "If MQL → SAL rose from 42% to 50%…": one slider per step and the deal size; the plan follows live. */
export function ScenarioSliders({ input, steps, currency, overrides, onChange }: ScenarioSlidersProps) {
  const changed = overrides.dealSize !== undefined || Object.keys(overrides.rates ?? {}).length > 0;
  return (
    <Stack gap="sm" data-testid="scenario">
      <Group justify="space-between">
        <Text fw={600}>What if…</Text>
        <Button size="xs" variant="subtle" disabled={!changed} onClick={() => onChange({})}>
          Back to measured
        </Button>
      </Group>
      {steps.map((step, i) => {
        const measured = input.rates[i + 1] ?? null;
        const value = overrides.rates?.[step.key] ?? measured;
        return (
          <div key={step.key}>
            <Group justify="space-between" gap={4}>
              <Text size="sm">
                {step.from} → {step.to}
              </Text>
              <Text size="sm" fw={value === measured ? 400 : 700}>
                {formatRate(value)}
                {value !== measured && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    (measured {formatRate(measured)})
                  </Text>
                )}
              </Text>
            </Group>
            <Slider
              thumbLabel={`${step.from} to ${step.to} conversion`}
              min={1}
              max={100}
              step={1}
              label={(v) => `${v}%`}
              value={Math.round((value ?? 0) * 100)}
              onChange={(v) => onChange({ ...overrides, rates: { ...overrides.rates, [step.key]: v / 100 } })}
            />
          </div>
        );
      })}
      <NumberInput
        label={`Average deal size (${currency})`}
        description={
          input.dealSize === null
            ? 'Nothing was won in the look-back window: enter one to plan'
            : `Measured: ${Math.round(input.dealSize).toLocaleString('en-US')}`
        }
        value={overrides.dealSize ?? (input.dealSize === null ? '' : Math.round(input.dealSize))}
        min={1}
        step={1000}
        thousandSeparator=","
        onChange={(v) => onChange({ ...overrides, dealSize: typeof v === 'number' && v > 0 ? v : undefined })}
      />
    </Stack>
  );
}
