/** Synthetic Chinese personal names for sample party secretaries, grid workers and reporters. */
import type { Random } from './random';

const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韦覃莫蒙庞钟'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕春'.split('');

export function personName(random: Random): string {
  const given = random.next() < 0.6 ? random.pick(GIVEN) + random.pick(GIVEN) : random.pick(GIVEN);
  return random.pick(SURNAMES) + given;
}
