import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../src/features/templates/errors.js';
import { checkSyntax, compileTemplate, renderTemplate, TEMPLATE_LIMITS } from '../../src/features/templates/render.js';
import type { VariableValue } from '../../src/features/templates/variables.js';
import { templateDevice } from './device.js';

const device = templateDevice();
const render = (body: string, values: Record<string, VariableValue> = {}) =>
  renderTemplate(body, { device, values }).text;

/** The TemplateError a call throws. */
function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('rendering', () => {
  it('expands variables, the device and Liquid tags', () => {
    const body = [
      '/system identity set name={{ identity | default: device.name | ros }}',
      '{% for i in device.interfaces %}{% if i.type == "ether" %}/interface bridge port add bridge=lan interface={{ i.name }}',
      '{% endif %}{% endfor %}{% if device.major >= 7 %}v7{% else %}v6{% endif %} {{ device.tags | join: "," }}',
    ].join('\n');
    expect(render(body, { identity: null })).toBe(
      [
        '/system identity set name=branch-1',
        '/interface bridge port add bridge=lan interface=ether1',
        '/interface bridge port add bridge=lan interface=ether2',
        'v7 edge',
      ].join('\n'),
    );
  });

  it('quotes values for RouterOS and has Jinja spellings and network filters', () => {
    expect(
      render('{{ ssid | ros }} {{ flag | ros }} {{ list | ros }}', { ssid: 'Café "A"', flag: true, list: ['a', 'b'] }),
    ).toBe('"Caf\\E9 \\"A\\"" yes a,b');
    expect(render('{{ "x y" | ros }} {{ "" | ros }} {{ off | yesno }}', { off: false })).toBe('"x y" "" no');
    expect(render('{{ name | upper }} {{ name | lower }} {{ name | length }} {{ " 7 " | int }}', { name: 'Ab' })).toBe(
      'AB ab 2 7',
    );
    expect(
      render(
        '{{ lan | address }} {{ lan | prefix }} {{ lan | network }} {{ lan | network_address }} {{ lan | host: 10 }}-{{ lan | host: -2 }}',
        {
          lan: '192.168.88.1/24',
        },
      ),
    ).toBe('192.168.88.1 24 192.168.88.0/24 192.168.88.0 192.168.88.10-192.168.88.254');
    expect(render('{{ v6 | network }} {{ v6 | host: 1 }}', { v6: 'fd00:1:2:3::9/64' })).toBe(
      'fd00:1:2:3::/64 fd00:1:2:3::1',
    );
    const e = failure(() => render('{{ lan | host: 300 }}', { lan: '10.0.0.1/24' }));
    expect(e.code).toBe('template_render');
    expect(e.message).toMatch(/outside 10\.0\.0\.0\/24/);
  });

  it('names an undefined variable, and a misspelt device property, with the line', () => {
    const e = failure(() => render('/ip dns\nset servers={{ dns_servers }}'));
    expect(e).toMatchObject({ code: 'variable_undefined', variable: 'dns_servers', line: 2 });
    expect(failure(() => render('{{ device.nmae }}'))).toMatchObject({
      code: 'variable_undefined',
      variable: 'device.nmae',
    });
  });

  it('reaches no prototype', () => {
    for (const path of [
      'device.constructor',
      'device.tags.constructor',
      'device.name.constructor',
      'device.__proto__',
    ]) {
      expect(failure(() => render(`{{ ${path} }}`))).toMatchObject({ code: 'variable_undefined', variable: path });
    }
    // Where Liquid does not check variables strictly (filter arguments), a prototype property is simply absent.
    expect(render('[{{ device.interfaces | map: "constructor" | join: "" }}]')).toBe('[]');
    expect(render('{{ device.interfaces.first.name }}')).toBe('ether1');
  });

  it('cannot read other templates or files', () => {
    for (const body of ["{% include 'x' %}", "{% render '/etc/passwd' %}", "{% layout 'base' %}"]) {
      const e = failure(() => compileTemplate(body));
      expect(e.code).toBe('template_syntax');
      expect(e.message).toMatch(/not available/);
      expect(e.line).toBe(1);
    }
  });

  it('stops huge and endless loops with template_limit', () => {
    // A range that large is refused before the loop starts.
    expect(failure(() => render('{% for i in (1..100000000) %}x{% endfor %}')).code).toBe('template_limit');
    // Nested loops that each stay small still run out of steps.
    const nested = '{% for a in (1..1000) %}{% for b in (1..1000) %}{% endfor %}{% endfor %}';
    const e = failure(() => render(nested));
    expect(e.code).toBe('template_limit');
    expect(e.message).toMatch(/steps/);
    // A loop over a list given as a value is bounded the same way.
    const list = Array.from({ length: 1000 }, (_, i) => String(i));
    expect(
      failure(() =>
        render('{% for a in l %}{% for b in l %}{% for c in l %}{% endfor %}{% endfor %}{% endfor %}', { l: list }),
      ).code,
    ).toBe('template_limit');
  });

  it('bounds the output and what captures build', () => {
    const e = failure(() =>
      render('{% for i in (1..5000) %}/ip address add address=10.0.0.1/24 interface=ether1 comment=x{% endfor %}'),
    );
    expect(e.code).toBe('template_limit');
    expect(e.message).toMatch(/larger than 256 KiB/);
    // Doubling a captured string never leaves the output, and still stops.
    const appending = '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}';
    expect(failure(() => render(appending)).code).toBe('template_limit');
    const doubling =
      '{% capture s %}x{% endcapture %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}';
    expect(failure(() => render(doubling)).code).toBe('template_limit');
    // Just under the bound is fine.
    const ok = render(`{% for i in (1..${TEMPLATE_LIMITS.output / 8}) %}1234567{{ "" }}\n{% endfor %}`);
    expect(ok.length).toBe(TEMPLATE_LIMITS.output);
  });

  it('bounds the template size and nesting', () => {
    expect(failure(() => compileTemplate('x'.repeat(TEMPLATE_LIMITS.body + 1))).code).toBe('template_limit');
    const deep = '{% if true %}'.repeat(5000) + '{% endif %}'.repeat(5000);
    expect(failure(() => render(deep)).code).toBe('template_limit');
  });

  it('reports syntax errors with their line', () => {
    expect(failure(() => checkSyntax('/ip dns\n{% if %}\n'))).toMatchObject({ code: 'template_syntax', line: 2 });
    expect(failure(() => checkSyntax('a\nb\n{% for x in l %}'))).toMatchObject({ code: 'template_syntax', line: 3 });
    expect(failure(() => checkSyntax('{{ x | no_such_filter }}'))).toMatchObject({ code: 'template_syntax' });
  });

  it('lists the variables a template reads and rejects undeclared ones', () => {
    const body =
      '{% assign n = 3 %}{{ ssid }}{% for i in device.interfaces %}{{ i.name }}{{ n }}{% endfor %}\n{{ vlan }}';
    expect(checkSyntax(body).variables).toEqual(['ssid', 'vlan']);
    expect(checkSyntax(body, ['ssid', 'vlan']).variables).toEqual(['ssid', 'vlan']);
    expect(failure(() => checkSyntax(body, ['ssid']))).toMatchObject({
      code: 'variable_undefined',
      variable: 'vlan',
      line: 2,
    });
  });

  it('renders a compiled template for many devices', () => {
    const t = compileTemplate('{{ device.name }}:{{ x }}');
    expect(renderTemplate(t, { device, values: { x: 1 } }).text).toBe('branch-1:1');
    expect(renderTemplate(t, { device: templateDevice({ name: 'b' }), values: { x: 2 } }).text).toBe('b:2');
  });
});
