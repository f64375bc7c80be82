// Schema validation failures in Arabic, field by field, for the panels' forms (the English
// text stays in messageEn). One line per JSON-schema keyword that the routes use.
type Failure = { keyword: string; params?: Record<string, unknown>; message?: string };

export function arabicValidationMessage(v: Failure): string {
  const p = v.params ?? {};
  switch (v.keyword) {
    case 'required': return 'هذا الحقل مطلوب';
    case 'type': return p.type === 'integer' || p.type === 'number' ? 'يجب أن يكون رقماً' : p.type === 'boolean' ? 'يجب أن تكون القيمة نعم أو لا' : 'نوع القيمة غير صحيح';
    case 'minLength': return Number(p.limit) <= 1 ? 'هذا الحقل مطلوب' : `يجب ألا يقل عن ${p.limit} حروف`;
    case 'maxLength': return `يجب ألا يزيد عن ${p.limit} حرفاً`;
    case 'minimum': case 'exclusiveMinimum': return `يجب ألا تقل القيمة عن ${p.limit}`;
    case 'maximum': case 'exclusiveMaximum': return `يجب ألا تزيد القيمة عن ${p.limit}`;
    case 'minItems': return `يجب ألا يقل العدد عن ${p.limit}`;
    case 'maxItems': return `يجب ألا يزيد العدد عن ${p.limit}`;
    case 'pattern': case 'format': return 'الصيغة غير صحيحة';
    case 'enum': case 'const': case 'anyOf': case 'oneOf': return 'قيمة غير مسموح بها';
    case 'additionalProperties': return `حقل غير معروف: ${String(p.additionalProperty ?? '')}`.trim();
    default: return 'قيمة غير صحيحة';
  }
}
