import { describe, expect, it } from 'vitest';
import { columnWords, pluralize, singularize, splitWords, tableNoun } from './names.js';

describe('names', () => {
  it('splits snake_case, camelCase, kebab-case and spaces', () => {
    expect(splitWords('state_name')).toEqual(['state', 'name']);
    expect(splitWords('birthYear')).toEqual(['birth', 'year']);
    expect(splitWords('HTTPStatusCode')).toEqual(['http', 'status', 'code']);
    expect(splitWords("first name's-field")).toEqual(['first', 'name', 's', 'field']);
  });

  it('makes nouns plural and singular', () => {
    const pairs = [
      ['city', 'cities'],
      ['box', 'boxes'],
      ['church', 'churches'],
      ['person', 'people'],
      ['address', 'addresses'],
      ['status', 'statuses'],
      ['hero', 'heroes'],
      ['day', 'days'],
      ['video', 'videos'],
    ];
    for (const [singular, plural] of pairs) {
      expect(pluralize(singular!)).toBe(plural);
      expect(singularize(plural!)).toBe(singular);
    }
    expect(singularize('city')).toBe('city');
    expect(pluralize('cities')).toBe('cities');
  });

  it('names tables and columns in words', () => {
    expect(tableNoun('border_info', 'plural')).toBe('border info');
    expect(tableNoun('house', 'plural')).toBe('houses');
    expect(singularize('houses')).toBe('house');
    expect(tableNoun('Singers', 'singular')).toBe('singer');
    expect(tableNoun('TV_Channel', 'plural')).toBe('tv channels');
    expect(columnWords('city', 'city_name')).toBe('name');
    expect(columnWords('city', 'state_name')).toBe('state name');
    expect(columnWords('singer', 'Singer_ID')).toBe('id');
    expect(columnWords('cities', 'city_name')).toBe('name');
    expect(columnWords('city', 'city')).toBe('city');
  });
});
