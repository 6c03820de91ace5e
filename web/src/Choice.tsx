/** A radio button or checkbox inside its label, as every choice on the page is drawn. */
export function Choice(props: {
  type: "radio" | "checkbox";
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
  value?: string;
  class?: string;
}) {
  return (
    <label class={props.class ?? "inline"}>
      <input
        type={props.type}
        {...(props.name === undefined ? {} : { name: props.name })}
        {...(props.value === undefined ? {} : { value: props.value })}
        checked={props.checked}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      {props.label}
    </label>
  );
}
